// `operator-host config check` as a user runs it: real binary, real packs.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using opr::test::run_command;
using opr::test::TempDir;
using opr::test::write_file;

opr::test::CommandResult config_check(const fs::path& config,
                                      const std::vector<std::string>& extra = {},
                                      const opr::test::ProcessOptions& options = {}) {
  std::vector<std::string> argv = {opr::test::operator_host().string(), "config", "check",
                                   "--config", config.string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return run_command(argv, options);
}

// A folder with a copy of the example pack (and nothing else).
fs::path example_pack_dir(const TempDir& dir) {
  const fs::path packs = dir / "packs";
  fs::create_directories(packs);
  fs::copy_file(opr::test::packs_dir() / "example.so", packs / "example.so");
  return packs;
}

TEST(ConfigCheck, PrintsTheScheduleAsATable) {
  TempDir dir;
  example_pack_dir(dir);
  write_file(dir / "operator.yaml",
             "plugin_dirs: [packs]\n"  // relative to the config's folder
             "targets:\n"
             "  - name: backups\n"
             "    pack: example\n"
             "    checks:\n"
             "      file_fresh: {path: /var/backups/last, interval: 5m, grace: 10m}\n"
             "      http_ok: {url: 'http://127.0.0.1:1/', enabled: false, severity: info}\n");
  const auto result = config_check(dir / "operator.yaml");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(result.out,
            "TARGET   CHECK       ENABLED  INTERVAL  TIMEOUT  GRACE  SEVERITY\n"
            "backups  http_ok     no       30s       10s      1m     info\n"
            "backups  file_fresh  yes      5m        10s      10m    warning\n" +
                (dir / "operator.yaml").string() + ": valid; 1 target, 1 of 2 checks enabled\n");
}

TEST(ConfigCheck, InvalidConfigPrintsFileLineColumnAndExits1) {
  TempDir dir;
  example_pack_dir(dir);
  write_file(dir / "operator.yaml",
             "plugin_dirs: [packs]\n"
             "targets:\n"
             "  - name: backups\n"
             "    pack: example\n"
             "    checks:\n"
             "      file_fresh: {path: /x, intreval: 5m}\n");
  const auto result = config_check(dir / "operator.yaml");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, (dir / "operator.yaml").string() +
                            ":6:30: unknown key 'intreval' in check 'file_fresh' of target "
                            "'backups'; did you mean 'interval'?\n");
}

TEST(ConfigCheck, PluginDirOnTheCommandLineReplacesTheConfigs) {
  TempDir dir;
  const fs::path packs = example_pack_dir(dir);
  fs::create_directories(dir / "empty");
  write_file(dir / "operator.yaml",
             "plugin_dirs: [empty]\n"
             "targets:\n"
             "  - {name: beat, pack: example, checks: {file_fresh: {path: /x}, "
             "http_ok: {url: 'http://h/'}}}\n");
  const auto without = config_check(dir / "operator.yaml");
  EXPECT_EQ(without.exit_code, 1);
  EXPECT_NE(without.err.find(":3:24: unknown pack 'example' in target 'beat' (loaded packs: none)"),
            std::string::npos)
      << without.err;
  const auto with = config_check(dir / "operator.yaml", {"--plugin-dir", packs.string()});
  EXPECT_EQ(with.exit_code, 0) << with.err;
}

TEST(ConfigCheck, APackThatFailedToLoadIsAWarningUntilATargetNeedsIt) {
  TempDir dir;
  const fs::path packs = example_pack_dir(dir);
  write_file(packs / "tikv.so", "not a shared library\n");
  write_file(dir / "uses_example.yaml",
             "plugin_dirs: [packs]\n"
             "targets:\n"
             "  - {name: beat, pack: example, checks: {file_fresh: {path: /x}, "
             "http_ok: {url: 'http://h/'}}}\n");
  const auto fine = config_check(dir / "uses_example.yaml");
  EXPECT_EQ(fine.exit_code, 0) << fine.err;
  EXPECT_NE(fine.err.find("warning: "), std::string::npos) << fine.err;
  EXPECT_NE(fine.err.find("tikv.so"), std::string::npos) << fine.err;

  write_file(dir / "uses_tikv.yaml",
             "plugin_dirs: [packs]\ntargets:\n  - {name: prod, pack: tikv}\n");
  const auto broken = config_check(dir / "uses_tikv.yaml");
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("uses_tikv.yaml:3:24: unknown pack 'tikv' in target 'prod' (loaded "
                            "packs: example); 1 pack file failed to load: "),
            std::string::npos)
      << broken.err;
}

TEST(ConfigCheck, WithoutConfigIsBadUsage) {
  const auto result = run_command({opr::test::operator_host().string(), "config", "check"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--config FILE is required"), std::string::npos) << result.err;
}

#ifdef OPR_HAVE_TIKV_PACK
TEST(ConfigCheck, ShippedConfigsPassWithTheTikvPack) {
  const fs::path config_dir = opr::test::source_dir() / "config";
  const auto reference =
      config_check(config_dir / "operator.yaml", {"--plugin-dir", opr::test::packs_dir().string()});
  EXPECT_EQ(reference.exit_code, 0) << reference.err;
  EXPECT_NE(reference.out.find("prod-tikv  store_up"), std::string::npos) << reference.out;

  opr::test::ProcessOptions env;
  env.env = {{"OPERATOR_DB", "/tmp/unused.db"},
             {"OPERATOR_PLUGIN_DIR", opr::test::packs_dir().string()},
             {"PD_ENDPOINT", "http://127.0.0.1:2379"},
             {"PROMETHEUS_URL", "http://127.0.0.1:9090"}};
  const auto demo = config_check(config_dir / "operator.demo.yaml", {}, env);
  EXPECT_EQ(demo.exit_code, 0) << demo.err;
  EXPECT_NE(demo.out.find("demo-tikv  latency     yes      2s        2s       4s     warning"),
            std::string::npos)
      << demo.out;
}
#endif

}  // namespace
