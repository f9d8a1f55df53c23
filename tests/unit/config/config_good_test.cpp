// Valid configs: what every check ends up with, where each value came from.
#include <gtest/gtest.h>

#include <string>

#include "config/config.h"
#include "test_packs.h"
#include "test_support.h"

namespace opr::config {
namespace {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

const CheckConfig& find_check(const Config& config, const std::string& target,
                              const std::string& check) {
  for (const auto& t : config.targets) {
    if (t.name != target) continue;
    for (const auto& c : t.checks) {
      if (c.name == check) return c;
    }
  }
  throw std::runtime_error("no " + target + "/" + check);
}

using opr::test::ScopedEnv;

TEST(GoodConfig, UnlistedChecksRunWithThePacksDefaults) {
  const Config config = test::load_text("targets:\n  - name: prod\n    pack: tikv\n");
  ASSERT_EQ(config.targets.size(), 1u);
  const TargetConfig& target = config.targets[0];
  EXPECT_EQ(target.pack, "tikv");
  EXPECT_EQ(target.mark.line, 2);
  EXPECT_EQ(target.mark.column, 5);
  // Optional pack params without a default stay unset; store_list_max_age has one.
  ASSERT_EQ(target.params.size(), 1u);
  EXPECT_EQ(std::get<std::chrono::milliseconds>(target.params.at("store_list_max_age")), 30s);
  // store_up, latency, disk_space, pd_health, store_slow, then the per-store
  // metric family's 23 and the 5 PD metric checks.
  ASSERT_EQ(target.checks.size(), 33u);
  EXPECT_EQ(target.checks[0].name, "store_up");
  EXPECT_EQ(target.checks[1].name, "latency");
  EXPECT_EQ(target.checks[2].name, "disk_space");
  EXPECT_EQ(target.checks[3].name, "pd_health");
  EXPECT_EQ(target.checks[4].name, "store_slow");
  EXPECT_EQ(target.checks[4].grace, 60s);
  EXPECT_EQ(target.checks[4].severity, Severity::critical);
  EXPECT_EQ(std::get<int64_t>(target.checks[4].params.at("threshold")), 80);

  const CheckConfig& store_up = target.checks[0];
  EXPECT_EQ(store_up.index, 0u);
  EXPECT_TRUE(store_up.enabled);
  EXPECT_EQ(store_up.interval, 30s);
  EXPECT_EQ(store_up.timeout, 10s);
  EXPECT_EQ(store_up.grace, 0s);
  EXPECT_EQ(store_up.severity, Severity::critical);
  EXPECT_EQ(store_up.mark.line, 2) << "an unlisted check is reported at its target";

  const CheckConfig& latency = target.checks[1];
  EXPECT_EQ(latency.index, 1u);
  EXPECT_EQ(latency.grace, 60s);
  EXPECT_EQ(latency.severity, Severity::warning);
  EXPECT_DOUBLE_EQ(std::get<double>(latency.params.at("threshold_ms")), 100.0);
  EXPECT_DOUBLE_EQ(std::get<double>(latency.params.at("quantile")), 0.99);
  EXPECT_EQ(std::get<milliseconds>(latency.params.at("rate_window")), 1min);
  EXPECT_DOUBLE_EQ(std::get<double>(target.checks[2].params.at("threshold_percent")), 70.0);
}

TEST(GoodConfig, TopLevelDefaultsWhenLeftOut) {
  const Config config = test::load_text("targets: []\n");
  EXPECT_FALSE(config.database);
  EXPECT_TRUE(config.plugin_dirs.empty());
  EXPECT_EQ(config.log.level, "info");
  EXPECT_EQ(config.log.format, "text");
  EXPECT_EQ(config.defaults.interval, 30s);
  EXPECT_EQ(config.defaults.timeout, 10s);
  EXPECT_EQ(config.defaults.failure_threshold, 3);
  EXPECT_EQ(config.workers, 0);
  EXPECT_EQ(config.shutdown_timeout, 5s);
  EXPECT_EQ(config.flapping_threshold, 3);
  EXPECT_EQ(config.flapping_window, 1h);
  EXPECT_EQ(config.cluster.lease, 30s);
  EXPECT_TRUE(config.targets.empty());
}

TEST(GoodConfig, TopLevelSettingsAreRead) {
  const Config config = test::load_text(
      "log: {level: debug, format: json}\n"
      "defaults: {interval: 1m, timeout: 250ms, failure_threshold: 5}\n"
      "workers: 4\n"
      "shutdown_timeout: 2s\n"
      "flapping: {threshold: 4, window: 30m}\n"
      "cluster: {lease: 9s}\n"
      "targets:\n");
  EXPECT_EQ(config.log.level, "debug");
  EXPECT_EQ(config.log.format, "json");
  EXPECT_EQ(config.defaults.interval, 1min);
  EXPECT_EQ(config.defaults.timeout, 250ms);
  EXPECT_EQ(config.defaults.failure_threshold, 5);
  EXPECT_EQ(config.workers, 4);
  EXPECT_EQ(config.shutdown_timeout, 2s);
  EXPECT_EQ(config.flapping_threshold, 4);
  EXPECT_EQ(config.flapping_window, 30min);
  EXPECT_EQ(config.cluster.lease, 9s);
}

TEST(GoodConfig, TargetsRunInRunnersUnlessTheDefaultsOrTheTargetSayOtherwise) {
  const Config plain = test::load_text("targets:\n  - {name: a, pack: tikv}\n");
  EXPECT_EQ(plain.targets[0].isolation, Isolation::process);
  EXPECT_EQ(plain.targets[0].runner_limits.memory_mb, 1024u);
  EXPECT_EQ(plain.targets[0].runner_limits.open_files, 256u);

  const Config config = test::load_text(
      "defaults: {isolation: in_process, runner_memory_mb: 512}\n"
      "targets:\n"
      "  - {name: a, pack: tikv}\n"
      "  - {name: b, pack: tikv, isolation: process, runner_open_files: 64}\n"
      "  - {name: c, pack: tikv, runner_memory_mb: 0, runner_open_files: 0}\n");
  EXPECT_EQ(config.defaults.isolation, Isolation::in_process);
  EXPECT_EQ(config.targets[0].isolation, Isolation::in_process);
  EXPECT_EQ(config.targets[0].runner_limits.memory_mb, 512u);
  EXPECT_EQ(config.targets[0].runner_limits.open_files, 256u);
  EXPECT_EQ(config.targets[1].isolation, Isolation::process);
  EXPECT_EQ(config.targets[1].runner_limits.memory_mb, 512u);
  EXPECT_EQ(config.targets[1].runner_limits.open_files, 64u);
  EXPECT_EQ(config.targets[2].runner_limits, (RunnerLimitsConfig{0, 0}));
}

TEST(GoodConfig, IntervalPrecedenceCheckThenTargetThenPackThenDefaults) {
  const Config config = test::load_text(
      "defaults: {interval: 40s}\n"
      "targets:\n"
      "  - {name: plain, pack: files, root: /r, checks: {fresh: {path: p}}}\n"
      "  - name: slow\n"
      "    pack: files\n"
      "    root: /r\n"
      "    interval: 20s\n"
      "    checks:\n"
      "      fresh: {path: p, interval: 5s}\n");
  EXPECT_EQ(find_check(config, "plain", "fresh").interval, 15s) << "pack's default_interval_ms";
  EXPECT_EQ(find_check(config, "plain", "exists").interval, 40s) << "pack says 0: defaults";
  EXPECT_EQ(find_check(config, "slow", "fresh").interval, 5s) << "check beats target";
  EXPECT_EQ(find_check(config, "slow", "exists").interval, 20s) << "target beats pack";
}

// A :failed ticket has its check's severity unless failed_severity says
// otherwise: check, then target, then defaults.
TEST(GoodConfig, FailedSeverityIsTheChecksSeverityUnlessSet) {
  const Config config = test::load_text(
      "targets:\n"
      "  - {name: a, pack: files, root: /r, checks: {fresh: {path: p, severity: critical}}}\n"
      "  - name: b\n"
      "    pack: files\n"
      "    root: /r\n"
      "    failed_severity: warning\n"
      "    checks:\n"
      "      fresh: {path: p, severity: critical, failed_severity: info}\n");
  EXPECT_EQ(find_check(config, "a", "fresh").failed_severity, Severity::critical);
  EXPECT_EQ(find_check(config, "a", "exists").failed_severity, Severity::info);
  EXPECT_EQ(find_check(config, "b", "fresh").failed_severity, Severity::info);
  EXPECT_EQ(find_check(config, "b", "exists").failed_severity, Severity::warning);

  const Config defaults = test::load_text(
      "defaults: {failed_severity: critical}\n"
      "targets:\n"
      "  - {name: a, pack: files, root: /r, checks: {fresh: {path: p}}}\n");
  EXPECT_EQ(find_check(defaults, "a", "fresh").failed_severity, Severity::critical);
  EXPECT_EQ(find_check(defaults, "a", "exists").failed_severity, Severity::critical);
}

// Where `config check` points when a pack refuses a parameter at create().
TEST(GoodConfig, TargetsKnowWhereEachPackParameterWasWritten) {
  const Config config = test::load_text(
      "targets:\n"
      "  - name: a\n"
      "    pack: files\n"
      "    root: /r\n"
      "    timeout: 4s\n"
      "    checks: {fresh: {path: p}}\n");
  const TargetConfig& target = config.targets[0];
  EXPECT_EQ(target.mark_of("root").line, 4);
  EXPECT_EQ(target.mark_of("root").column, 11);
  EXPECT_EQ(target.mark_of("api_token").line, 2) << "not set: the target";
  EXPECT_EQ(target.timeout, 4s);
}

TEST(GoodConfig, TimeoutGraceAndSeverityPrecedence) {
  const Config config = test::load_text(
      "defaults: {timeout: 7s}\n"
      "targets:\n"
      "  - {name: a, pack: files, root: /r, checks: {fresh: {path: p}}}\n"
      "  - name: b\n"
      "    pack: files\n"
      "    root: /r\n"
      "    timeout: 3s\n"
      "    grace: 30s\n"
      "    severity: critical\n"
      "    checks:\n"
      "      fresh: {path: p, timeout: 1m, grace: 0s, severity: info}\n");
  const CheckConfig& a_fresh = find_check(config, "a", "fresh");
  const CheckConfig& a_exists = find_check(config, "a", "exists");
  EXPECT_EQ(a_fresh.timeout, 7s);
  EXPECT_EQ(a_fresh.grace, 0s);
  EXPECT_EQ(a_exists.grace, 5s) << "pack's default_grace_ms";
  EXPECT_EQ(a_fresh.severity, Severity::warning);
  EXPECT_EQ(a_exists.severity, Severity::info);

  const CheckConfig& b_fresh = find_check(config, "b", "fresh");
  const CheckConfig& b_exists = find_check(config, "b", "exists");
  EXPECT_EQ(b_fresh.timeout, 1min) << "a timeout longer than the interval is allowed";
  EXPECT_EQ(b_exists.timeout, 3s);
  EXPECT_EQ(b_fresh.grace, 0s);
  EXPECT_EQ(b_exists.grace, 30s) << "target beats pack";
  EXPECT_EQ(b_fresh.severity, Severity::info);
  EXPECT_EQ(b_exists.severity, Severity::critical);
}

TEST(GoodConfig, DisablingATargetDisablesItsChecksUnlessACheckSaysOtherwise) {
  const Config config = test::load_text(
      "targets:\n"
      "  - name: prod\n"
      "    pack: tikv\n"
      "    enabled: false\n"
      "    checks:\n"
      "      latency: {enabled: true}\n"
      "  - name: staging\n"
      "    pack: tikv\n"
      "    checks:\n"
      "      disk_space: {enabled: false}\n");
  EXPECT_FALSE(find_check(config, "prod", "store_up").enabled);
  EXPECT_TRUE(find_check(config, "prod", "latency").enabled);
  EXPECT_TRUE(find_check(config, "staging", "store_up").enabled);
  EXPECT_FALSE(find_check(config, "staging", "disk_space").enabled);
}

TEST(GoodConfig, ADisabledCheckNeedNotSetItsRequiredParameters) {
  const Config config = test::load_text(
      "targets:\n"
      "  - name: logs\n"
      "    pack: files\n"
      "    root: /var/log\n"
      "    checks:\n"
      "      fresh: {enabled: false}\n");
  const CheckConfig& fresh = find_check(config, "logs", "fresh");
  EXPECT_FALSE(fresh.enabled);
  EXPECT_EQ(fresh.params.count("path"), 0u);
}

TEST(GoodConfig, ParametersAreTypedAsDeclared) {
  const Config config = test::load_text(
      "targets:\n"
      "  - name: logs\n"
      "    pack: files\n"
      "    root: /var/log\n"
      "    tags: [web, \"db\"]\n"
      "    api_token: s3cr3t\n"
      "    checks:\n"
      "      fresh:\n"
      "        path: app.log\n"
      "        max_age: 1h30m\n"
      "        strict: true\n"
      "        weight: 2\n"
      "        retries: -1\n");
  const TargetConfig& target = config.targets.at(0);
  EXPECT_EQ(std::get<std::string>(target.params.at("root")), "/var/log");
  EXPECT_EQ(std::get<std::vector<std::string>>(target.params.at("tags")),
            (std::vector<std::string>{"web", "db"}));
  EXPECT_EQ(std::get<std::string>(target.params.at("api_token")), "s3cr3t");
  const CheckConfig& fresh = find_check(config, "logs", "fresh");
  EXPECT_EQ(fresh.mark.line, 8);
  EXPECT_EQ(fresh.mark.column, 7);
  EXPECT_EQ(std::get<std::string>(fresh.params.at("path")), "app.log");
  EXPECT_EQ(std::get<milliseconds>(fresh.params.at("max_age")), 90min);
  EXPECT_TRUE(std::get<bool>(fresh.params.at("strict")));
  EXPECT_DOUBLE_EQ(std::get<double>(fresh.params.at("weight")), 2.0) << "an int is a float too";
  EXPECT_EQ(std::get<int64_t>(fresh.params.at("retries")), -1);
}

TEST(GoodConfig, ParameterDefaultsComeFromThePack) {
  const Config config = test::load_text(
      "targets:\n  - {name: logs, pack: files, root: /r, checks: {fresh: {path: p}}}\n");
  const TargetConfig& target = config.targets.at(0);
  EXPECT_EQ(std::get<std::vector<std::string>>(target.params.at("tags")),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(target.params.count("api_token"), 0u);
  const CheckConfig& fresh = find_check(config, "logs", "fresh");
  EXPECT_EQ(std::get<milliseconds>(fresh.params.at("max_age")), 1h);
  EXPECT_FALSE(std::get<bool>(fresh.params.at("strict")));
  EXPECT_DOUBLE_EQ(std::get<double>(fresh.params.at("weight")), 0.5);
  EXPECT_EQ(std::get<int64_t>(fresh.params.at("retries")), 3);
}

TEST(GoodConfig, EmptyCheckSectionMeansAllDefaults) {
  const Config config =
      test::load_text("targets:\n  - name: prod\n    pack: tikv\n    checks:\n      latency:\n");
  const CheckConfig& latency = find_check(config, "prod", "latency");
  EXPECT_TRUE(latency.enabled);
  EXPECT_EQ(latency.grace, 60s);
  EXPECT_EQ(latency.mark.line, 5);
  EXPECT_EQ(latency.mark.column, 7);
}

TEST(GoodConfig, EnvironmentVariablesFillStrings) {
  ScopedEnv pd("OPR_TEST_PD", "http://10.0.0.1:2379");
  ScopedEnv unset("OPR_TEST_UNSET", nullptr);
  ScopedEnv empty("OPR_TEST_EMPTY", "");
  ScopedEnv threshold("OPR_TEST_THRESHOLD", "250");
  const Config config = test::load_text(
      "targets:\n"
      "  - name: prod\n"
      "    pack: tikv\n"
      "    pd_endpoint: ${OPR_TEST_PD}\n"
      "    prometheus_url: \"${OPR_TEST_UNSET:-http://127.0.0.1:9090}/$$x${OPR_TEST_EMPTY:-e}$\"\n"
      "    checks:\n"
      "      latency: {threshold_ms: \"${OPR_TEST_THRESHOLD}\"}\n");
  const TargetConfig& target = config.targets.at(0);
  EXPECT_EQ(std::get<std::string>(target.params.at("pd_endpoint")), "http://10.0.0.1:2379");
  EXPECT_EQ(std::get<std::string>(target.params.at("prometheus_url")),
            "http://127.0.0.1:9090/$xe$");
  EXPECT_DOUBLE_EQ(
      std::get<double>(find_check(config, "prod", "latency").params.at("threshold_ms")), 250);
}

TEST(GoodConfig, RelativePathsAreTakenFromTheConfigFilesFolder) {
  const Config config = test::load_text(
      "database: sqlite3://db=state/tickets.db timeout=5\n"
      "plugin_dirs: [packs, /opt/packs, ../common/packs]\n"
      "targets: []\n");
  const auto folder = test::last_config_path().parent_path();
  EXPECT_EQ(*config.database,
            "sqlite3://db=" + (folder / "state/tickets.db").string() + " timeout=5");
  ASSERT_EQ(config.plugin_dirs.size(), 3u);
  EXPECT_EQ(config.plugin_dirs[0], folder / "packs");
  EXPECT_EQ(config.plugin_dirs[1], "/opt/packs");
  EXPECT_EQ(config.plugin_dirs[2], (folder.parent_path() / "common/packs"));
}

TEST(GoodConfig, DatabaseForms) {
  const auto database_of = [](const std::string& value) {
    return *test::load_text("database: " + value + "\n").database;
  };
  const std::string bare = database_of("tickets.db");
  EXPECT_EQ(bare, (test::last_config_path().parent_path() / "tickets.db").string())
      << "a bare path means SQLite";
  EXPECT_EQ(database_of("/var/lib/operator/t.db"), "/var/lib/operator/t.db");
  EXPECT_EQ(database_of("sqlite3://db=/abs/t.db"), "sqlite3://db=/abs/t.db");
  EXPECT_EQ(database_of("\"sqlite3://db=:memory:\""), "sqlite3://db=:memory:");
  EXPECT_EQ(database_of("postgresql://dbname=ops host=db1"), "postgresql://dbname=ops host=db1");
}

TEST(GoodConfig, StepOneNeedsNoPacks) {
  const auto raw = read_config(test::write_text(
      "database: t.db\nplugin_dirs: [p]\ntargets:\n  - {name: x, pack: not_loaded_anywhere}\n"));
  const auto folder = test::last_config_path().parent_path();
  EXPECT_EQ(plugin_dirs(*raw), std::vector<std::filesystem::path>{folder / "p"});
  EXPECT_EQ(*database(*raw), (folder / "t.db").string());
  EXPECT_THROW(resolve_config(*raw, test::test_catalog()), ConfigError);
}

TEST(GoodConfig, ResolvingTwiceGivesTheSameConfig) {
  // The engine resolves again on SIGHUP; a RawConfig must be reusable.
  const auto raw =
      read_config(test::write_text("targets:\n  - {name: prod, pack: tikv, interval: 5s}\n"));
  const Config first = resolve_config(*raw, test::test_catalog());
  const Config second = resolve_config(*raw, test::test_catalog());
  EXPECT_EQ(first.targets.at(0).checks.at(2).interval, 5s);
  EXPECT_EQ(second.targets.at(0).checks.at(2).interval, 5s);
}

}  // namespace
}  // namespace opr::config
