// `operator-host config check` as a user runs it: real binary, real packs.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using opr::test::run_operator_host;
using opr::test::TempDir;
using opr::test::write_file;

opr::test::CommandResult config_check(const fs::path& config,
                                      const std::vector<std::string>& extra = {},
                                      const opr::test::ProcessOptions& options = {}) {
  std::vector<std::string> args = {"config", "check", "--config", config.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_operator_host(args, options);
}

// dir/packs with a copy of `pack` (and nothing else).
fs::path pack_dir(const TempDir& dir, const fs::path& pack) {
  const fs::path packs = dir / "packs";
  fs::create_directories(packs);
  opr::test::copy_pack(pack, packs);
  return packs;
}
fs::path example_pack_dir(const TempDir& dir) { return pack_dir(dir, opr::test::example_pack()); }
fs::path control_pack_dir(const TempDir& dir) {
  return pack_dir(dir, opr::test::fixture_pack("control"));
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

TEST(ConfigCheck, ShowsLabelsAnnotationsAndReceiversButNoCredentials) {
  TempDir dir;
  example_pack_dir(dir);
  write_file(dir / "operator.yaml",
             "plugin_dirs: [packs]\n"
             "defaults:\n"
             "  labels: {team: storage}\n"
             "notify:\n"
             "  - name: pager\n"
             "    type: webhook\n"
             "    url: 'https://user:pw@h.example/x'\n"
             "    headers: {Authorization: Basic c2VjcmV0}\n"
             "    match: {severity: critical}\n"
             "    repeat_interval: 4h\n"
             "  - name: mail\n"
             "    type: command\n"
             "    command: [/usr/local/bin/page, --team]\n"
             "    match: {target: backups, labels: {team: storage}}\n"
             "targets:\n"
             "  - name: backups\n"
             "    pack: example\n"
             "    annotations: {runbook_url: 'https://rb/backups'}\n"
             "    checks:\n"
             "      file_fresh: {path: /var/backups/last}\n"
             "      http_ok: {url: 'http://127.0.0.1:1/', enabled: false}\n");
  const auto result = config_check(dir / "operator.yaml");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "TARGET   CHECK       ENABLED  INTERVAL  TIMEOUT  GRACE  SEVERITY\n"
            "backups  http_ok     no       30s       10s      1m     critical\n"
            "backups  file_fresh  yes      1m        10s      0s     warning\n"
            "\n"
            "TARGET   CHECK       LABELS        ANNOTATIONS\n"
            "backups  http_ok     team=storage  runbook_url=https://rb/backups\n"
            "backups  file_fresh  team=storage  runbook_url=https://rb/backups\n"
            "\n"
            "RECEIVER  TYPE     SEVERITY  TARGET   CHECK  LABELS        REPEAT  SENDS TO\n"
            "pager     webhook  critical  *        *      *             4h      "
            "https://***@h.example/x\n"
            "mail      command  *         backups  *      team=storage  -       "
            "/usr/local/bin/page\n" +
                (dir / "operator.yaml").string() +
                ": valid; 1 target, 1 of 2 checks enabled, 2 receivers\n");
  EXPECT_FALSE(opr::test::contains(result.out, "pw")) << result.out;
  EXPECT_FALSE(opr::test::contains(result.out, "c2VjcmV0")) << result.out;
}

// An Alertmanager hears of a firing ticket again every resend_interval;
// a diagnosis hook, once.
TEST(ConfigCheck, AlertmanagerResendsAndHooksAreShownAsTheyWork) {
  TempDir dir;
  write_file(dir / "operator.yaml",
             "notify:\n"
             "  - {name: am, type: alertmanager, urls: ['http://am:9093'], resend_interval: 30s}\n"
             "diagnose:\n"
             "  - {name: triage, command: [/usr/local/bin/triage]}\n"
             "targets: []\n");
  const auto result = config_check(dir / "operator.yaml");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(opr::test::contains(
      result.out,
      "am           alertmanager  *         *       *      *       30s     http://am:9093\n"))
      << result.out;
  EXPECT_TRUE(opr::test::contains(result.out,
                                  "hook:triage  diagnose      *         *       *      *       -   "
                                  "    /usr/local/bin/triage\n"))
      << result.out;
}

// What the config holds is shown, never obeyed: the file's name, and a
// value an error quotes.
TEST(ConfigCheck, ControlCharactersFromTheConfigAreEscaped) {
  TempDir dir;
  example_pack_dir(dir);
  const std::string target =
      "    pack: example\n    checks:\n      file_fresh: {path: /var/backups/last}\n"
      "      http_ok: {enabled: false, url: 'http://127.0.0.1:1/'}\n";
  const fs::path good = dir / "good\x1b[2J\n.yaml";
  write_file(good, "plugin_dirs: [packs]\ntargets:\n  - name: b\n" + target);
  const auto checked = config_check(good);
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_EQ(opr::test::raw_terminal_control(checked.out), "") << checked.out;
  EXPECT_TRUE(opr::test::contains(checked.out, "good\\x1b[2J\\n.yaml: valid;")) << checked.out;

  write_file(dir / "bad.yaml",
             "plugin_dirs: [packs]\ntargets:\n"
             "  - name: \"b\\e]0;title\\a\\r\\nFAKE\"\n" +
                 target);
  const auto refused = config_check(dir / "bad.yaml");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(opr::test::raw_terminal_control(refused.err), "") << refused.err;
  EXPECT_TRUE(opr::test::contains(refused.err, "bad target name 'b\\x1b]0;title\\x07\\r\\nFAKE'"))
      << refused.err;
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

// The broken pack is one built for another ABI major: the warning, and the
// error once a target needs it, both say how to fix it.
TEST(ConfigCheck, APackThatFailedToLoadIsAWarningUntilATargetNeedsIt) {
  TempDir dir;
  const fs::path packs = example_pack_dir(dir);
  const fs::path old = opr::test::copy_pack(opr::test::fixture_pack("abi_major"), packs);
  write_file(dir / "uses_example.yaml",
             "plugin_dirs: [packs]\n"
             "targets:\n"
             "  - {name: beat, pack: example, checks: {file_fresh: {path: /x}, "
             "http_ok: {url: 'http://h/'}}}\n");
  const auto fine = config_check(dir / "uses_example.yaml");
  EXPECT_EQ(fine.exit_code, 0) << fine.err;
  EXPECT_NE(fine.err.find("warning: pack not loaded: " + opr::test::abi_major_refusal(old)),
            std::string::npos)
      << fine.err;

  write_file(dir / "uses_old.yaml",
             "plugin_dirs: [packs]\ntargets:\n  - {name: old, pack: abi_major}\n");
  const auto broken = config_check(dir / "uses_old.yaml");
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("uses_old.yaml:3:23: unknown pack 'abi_major' in target 'old' "
                            "(loaded packs: example); 1 pack file failed to load: " +
                            opr::test::abi_major_refusal(old)),
            std::string::npos)
      << broken.err;
}

// config check creates and destroys each target's instance, so what a pack
// refuses at create() is an error before the monitor starts, at the line of
// the parameter the pack names.
TEST(ConfigCheck, WhatAPackRefusesAtCreateIsAnErrorAtTheParametersLine) {
  TempDir dir;
  control_pack_dir(dir);
  write_file(dir / "lifecycle", "create refuse lifecycle_file no such mode\n");
  write_file(dir / "operator.yaml",
             "plugin_dirs: [packs]\n"
             "targets:\n"
             "  - name: ok\n"
             "    pack: control\n"
             "    checks: {probe: {command_file: /x}}\n"
             "  - name: refused\n"
             "    pack: control\n"
             "    lifecycle_file: " +
                 (dir / "lifecycle").string() +
                 "\n"
                 "    checks: {probe: {command_file: /x}}\n");
  const auto result = config_check(dir / "operator.yaml");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, (dir / "operator.yaml").string() +
                            ":8:21: pack 'control' could not create an instance for target "
                            "'refused': no such mode\n");
}

// In-process the stuck create() is abandoned; in a runner (the default) the
// runner is killed. Either way the target's line says so.
TEST(ConfigCheck, ACreateThatNeverReturnsIsAnErrorAfterTheTargetsTimeout) {
  TempDir dir;
  control_pack_dir(dir);
  write_file(dir / "lifecycle", "create block_until " + (dir / "never").string() + "\n");
  for (const std::string isolation : {"in_process", "process"}) {
    SCOPED_TRACE(isolation);
    write_file(dir / "operator.yaml",
               "plugin_dirs: [packs]\n"
               "targets:\n"
               "  - name: frozen\n"
               "    pack: control\n"
               "    timeout: 200ms\n"
               "    isolation: " +
                   isolation + "\n    lifecycle_file: " + (dir / "lifecycle").string() +
                   "\n"
                   "    checks: {probe: {command_file: /x}}\n");
    const auto result = config_check(dir / "operator.yaml");
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(result.err,
              (dir / "operator.yaml").string() + ":3:5: pack 'control' did not return from " +
                  (isolation == "in_process"
                       ? "create() for target 'frozen' within 200ms\n"
                       : "create() for target 'frozen' within 200ms; its runner was killed\n"));
  }
}

TEST(ConfigCheck, WithoutConfigIsBadUsage) {
  const auto result = run_operator_host({"config", "check"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--config FILE is required"), std::string::npos) << result.err;
}

// Configs built to hurt the reader, as a user would run into them: each is
// refused with exit 1 and its cause at its line and column, without a crash
// and in bounded memory (nothing is expanded before it is measured).
TEST(ConfigCheck, HostileConfigsAreRefusedWithTheirCauseInBoundedMemory) {
  TempDir dir;
  const fs::path packs = example_pack_dir(dir);
  write_file(dir / "small.yaml", "targets: 1\n");
  const auto small = config_check(dir / "small.yaml", {"--plugin-dir", packs.string()});
  ASSERT_EQ(small.exit_code, 1) << small.err;
  // The same command on a two-line config: the host's own size. Under the
  // sanitizers that alone is larger, so the bound is on top of it there.
#ifdef OPR_SANITIZED
  const long limit_kb = small.peak_rss_kb + 64 * 1024;
#else
  const long limit_kb = 64 * 1024;
#endif
  const std::string nine_laughs = opr::test::billion_laughs_yaml(8);
  const std::string ten_laughs = opr::test::billion_laughs_yaml(9);
  const std::string laughs_message =
      ":6:10: alias *a4 would expand the config past 100000 nodes (each alias counts as a copy "
      "of the node it names, and aliases of aliases multiply); refused before expanding it";
  const std::string deep_message = ": mappings and lists are nested deeper than 64 levels here";
  const struct {
    std::string name;
    std::string yaml;
    std::string message;  // after the file's path
  } cases[] = {
      {"cycle", "targets: &a [*a]\n",
       ":1:14: alias *a is inside the node it names (anchored at line 1, column 10): an alias "
       "cycle, which would expand forever"},
      {"laughs", nine_laughs, laughs_message},
      {"more_laughs", ten_laughs, laughs_message},
      {"text_bomb",
       "a: &a " + std::string(100'000, 'x') + "\nb: [" + std::string(50, 'x') + "]\nc: [*a" +
           [] {
             std::string aliases;
             for (int i = 0; i < 60; ++i) aliases += ", *a";
             return aliases;
           }() +
           "]\n",
       ":3:165: alias *a would expand the config past 4 MiB of text (each alias counts as a "
       "copy of the node it names, and aliases of aliases multiply); refused before expanding "
       "it"},
      {"deep", "targets: " + std::string(65, '[') + std::string(65, ']') + "\n",
       ":1:73" + deep_message},
      {"deeper_than_yaml_cpp_goes",
       "targets: " + std::string(100'000, '[') + std::string(100'000, ']') + "\n",
       ":1:73" + deep_message},
      {"too_large", "# " + std::string(2 << 20, 'x') + "\ntargets: []\n",
       ": the config file is larger than 1 MiB, the most operator reads"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path file = dir / (c.name + ".yaml");
    write_file(file, c.yaml);
    const auto result = config_check(file, {"--plugin-dir", packs.string()});
    EXPECT_EQ(result.exit_code, 1) << result.err.substr(0, 300);
    EXPECT_EQ(result.err, file.string() + c.message + "\n");
    EXPECT_EQ(result.out, "");
    EXPECT_GT(result.peak_rss_kb, 0);
    EXPECT_LT(result.peak_rss_kb, limit_kb) << "peak RSS " << result.peak_rss_kb << " KiB";
  }
  EXPECT_LT(nine_laughs.size(), 500u);
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
  // Columns are as wide as the longest check name (the metric family's).
  std::istringstream lines(demo.out);
  std::string line, latency;
  while (std::getline(lines, line)) {
    if (line.rfind("demo-tikv  latency ", 0) != 0) continue;
    std::istringstream words(line);
    for (std::string word; words >> word;) latency += (latency.empty() ? "" : " ") + word;
  }
  EXPECT_EQ(latency, "demo-tikv latency yes 2s 2s 4s warning") << demo.out;
}

struct BadTikvValue {
  std::string name;
  std::string lines;  // the target's lines after pd_endpoint (line 4)
  int line;           // where the bad value is
  int column;
  std::string message;
};

void PrintTo(const BadTikvValue& bad, std::ostream* out) { *out << bad.name; }

class ConfigCheckTikv : public ::testing::TestWithParam<BadTikvValue> {};

// Each value the monitor could not run with fails `config check` at the line
// and column where it was written, so the unit's ExecStartPre guards it.
TEST_P(ConfigCheckTikv, RefusesAValueTheMonitorCouldNotRunWith) {
  TempDir dir;
  write_file(dir / "token", "s3cr3t\n");
  std::string lines = GetParam().lines;
  for (size_t at = lines.find("DIR"); at != std::string::npos; at = lines.find("DIR"))
    lines.replace(at, 3, dir.path().string());
  write_file(dir / "operator.yaml",
             "targets:\n"
             "  - name: prod\n"
             "    pack: tikv\n"
             "    pd_endpoint: http://pd:2379\n" +
                 lines);
  const auto result =
      config_check(dir / "operator.yaml", {"--plugin-dir", opr::test::packs_dir().string()});
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_EQ(result.out, "");
  const std::string where = (dir / "operator.yaml").string() + ":" +
                            std::to_string(GetParam().line) + ":" +
                            std::to_string(GetParam().column) + ": ";
  EXPECT_TRUE(result.err.starts_with(where)) << result.err;
  EXPECT_NE(result.err.find(GetParam().message), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("s3cr3t"), std::string::npos) << "a secret was printed";
}

INSTANTIATE_TEST_SUITE_P(
    Values, ConfigCheckTikv,
    ::testing::Values(
        BadTikvValue{"quantile_above_one",
                     "    prometheus_url: http://prom:9090\n    checks: {latency: {quantile: 2}}\n",
                     6, 34,
                     "'quantile' in check 'latency' of target 'prod' must be > 0 and < 1, got 2"},
        BadTikvValue{"zero_rate_window",
                     "    prometheus_url: http://prom:9090\n"
                     "    checks: {latency: {rate_window: 0s}}\n",
                     6, 37,
                     "'rate_window' in check 'latency' of target 'prod' must be > 0s, got 0s"},
        BadTikvValue{"ftp_endpoint", "    prometheus_url: ftp://prom:9090\n", 5, 21,
                     "prometheus_url"},
        BadTikvValue{"missing_token_file",
                     "    prometheus_bearer_token_file: DIR/nothing-here\n"
                     "    prometheus_url: http://prom:9090\n",
                     5, 35, "prometheus_bearer_token_file"},
        BadTikvValue{"bearer_and_basic_auth",
                     "    prometheus_bearer_token_file: DIR/token\n"
                     "    prometheus_url: http://prom:9090\n"
                     "    prometheus_username: me\n"
                     "    prometheus_password_file: DIR/token\n",
                     5, 35, "prometheus_bearer_token_file"}),
    [](const auto& info) { return info.param.name; });
#endif

}  // namespace
