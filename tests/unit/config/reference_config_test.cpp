// The configs shipped in config/ must stay valid against what the TiKV pack
// declares (here: a static descriptor with the same declarations).
#include <gtest/gtest.h>

#include "config/config.h"
#include "test_packs.h"
#include "test_support.h"

namespace opr::config {
namespace {

using namespace std::chrono_literals;

const std::filesystem::path kConfigDir = OPR_CONFIG_DIR;

TEST(ReferenceConfig, OperatorYamlResolvesAsDocumented) {
  const Config config = load_config(kConfigDir / "operator.yaml", test::test_catalog());
  EXPECT_EQ(*config.database, "sqlite3://db=/var/lib/operator/tickets.db");
  // No plugin_dirs: the host's default, the packs installed beside it.
  EXPECT_TRUE(config.plugin_dirs.empty());
  EXPECT_EQ(config.defaults.interval, 30s);
  EXPECT_EQ(config.shutdown_timeout, 5s);
  ASSERT_EQ(config.targets.size(), 1u);
  const TargetConfig& prod = config.targets[0];
  EXPECT_EQ(prod.name, "prod-tikv");
  // store_up, latency, disk_space, pd_health, store_slow, then the pack's
  // per-store metric family and its PD metric checks.
  ASSERT_EQ(prod.checks.size(), 33u);
  EXPECT_EQ(prod.checks[0].interval, 10s);
  EXPECT_EQ(prod.checks[0].severity, Severity::critical);
  EXPECT_EQ(prod.checks[1].grace, 60s);
  EXPECT_EQ(prod.checks[1].interval, 30s);
  EXPECT_DOUBLE_EQ(std::get<double>(prod.checks[1].params.at("threshold_ms")), 100.0);
  EXPECT_DOUBLE_EQ(std::get<double>(prod.checks[2].params.at("threshold_percent")), 70.0);
  EXPECT_EQ(std::get<std::string>(prod.checks[0].params.at("offline_severity")), "warning");
  EXPECT_EQ(prod.checks[3].name, "pd_health");
  EXPECT_EQ(prod.checks[3].interval, 15s);
  EXPECT_EQ(prod.checks[3].severity, Severity::critical);
  EXPECT_EQ(prod.checks[4].name, "store_slow");
  EXPECT_EQ(std::get<int64_t>(prod.checks[4].params.at("threshold")), 80);
  EXPECT_TRUE(prod.params.count("pd_endpoint"));
}

TEST(ReferenceConfig, DemoYamlUsesShortIntervalsAndTheEnvironment) {
  opr::test::ScopedEnv db("OPERATOR_DB", "/tmp/demo/tickets.db");
  opr::test::ScopedEnv plugin_dir("OPERATOR_PLUGIN_DIR", "/tmp/demo/packs");
  opr::test::ScopedEnv pd("PD_ENDPOINT", "http://127.0.0.1:1234");
  opr::test::ScopedEnv prometheus("PROMETHEUS_URL", "http://127.0.0.1:5678");
  const Config config = load_config(kConfigDir / "operator.demo.yaml", test::test_catalog());
  EXPECT_EQ(*config.database, "/tmp/demo/tickets.db");
  EXPECT_EQ(config.plugin_dirs, std::vector<std::filesystem::path>{"/tmp/demo/packs"});
  const TargetConfig& demo = config.targets.at(0);
  EXPECT_EQ(std::get<std::string>(demo.params.at("pd_endpoint")), "http://127.0.0.1:1234");
  for (const auto& check : demo.checks) {
    EXPECT_TRUE(check.enabled);
    EXPECT_EQ(check.interval, 2s) << check.name;
  }
  EXPECT_EQ(demo.checks[1].grace, 4s);

  pd.unset();
  try {
    load_config(kConfigDir / "operator.demo.yaml", test::test_catalog());
    FAIL() << "the demo config needs PD_ENDPOINT";
  } catch (const ConfigError& e) {
    EXPECT_NE(e.message().find("'PD_ENDPOINT' is not set"), std::string::npos);
  }
}

}  // namespace
}  // namespace opr::config
