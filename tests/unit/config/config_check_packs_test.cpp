// `config check` loads packs through the monitor's own start: for a broken
// pack it says what the monitor says, word for word, and goes on with the
// other packs. Real binary, real packs, the monitor run as `--once`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using opr::test::run_operator_host;
using opr::test::TempDir;
using opr::test::write_file;

// The lines of `text` that contain `marker`, from the marker on: what was
// said, without what the log or config check put before it (a time and a
// level, "warning: ", a config position).
std::vector<std::string> messages(const std::string& text, const std::string& marker) {
  std::vector<std::string> found;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (const size_t at = line.find(marker); at != std::string::npos) {
      found.push_back(line.substr(at));
    }
  }
  return found;
}

class ConfigCheckPacks : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(packs());
    for (const char* name : {"control", "abi_major", "no_entry"}) {
      opr::test::copy_pack(opr::test::fixture_pack(name), packs());
    }
    write_file(dir_ / "refuse", "create refuse lifecycle_file no such mode\n");
    write_file(dir_ / "ok.cmd", "ok\n");
  }

  fs::path packs() const { return dir_ / "packs"; }

  // Two targets of the good pack, one of which it refuses at create().
  void write_config() const {
    const std::string probe =
        "    checks: {probe: {command_file: " + (dir_ / "ok.cmd").string() + "}}\n";
    write_file(dir_ / "operator.yaml", "database: " + (dir_ / "tickets.db").string() +
                                           "\nplugin_dirs: [" + packs().string() +
                                           "]\n"
                                           "targets:\n"
                                           "  - name: fine\n"
                                           "    pack: control\n" +
                                           probe +
                                           "  - name: refused\n"
                                           "    pack: control\n"
                                           "    lifecycle_file: " +
                                           (dir_ / "refuse").string() + "\n" + probe);
  }

  opr::test::CommandResult config_check() const {
    return run_operator_host({"config", "check", "--config", (dir_ / "operator.yaml").string()});
  }
  opr::test::CommandResult config_check_json() const {
    return run_operator_host(
        {"config", "check", "--config", (dir_ / "operator.yaml").string(), "--json"});
  }
  opr::test::CommandResult monitor_once() const {
    return run_operator_host({"--config", (dir_ / "operator.yaml").string(), "--once"});
  }

  TempDir dir_;
};

TEST_F(ConfigCheckPacks, ABrokenPackReadsAsItDoesAtTheMonitorsStart) {
  write_config();
  const auto checked = config_check();
  const auto started = monitor_once();
  ASSERT_NE(started.exit_code, -1) << started.err;

  // A pack of another ABI major and one without the entry symbol: one line
  // each, naming the file and the cause, in both.
  const auto checked_loads = messages(checked.err, "pack not loaded: ");
  ASSERT_EQ(checked_loads.size(), 2u) << checked.err;
  EXPECT_EQ(checked_loads, messages(started.err, "pack not loaded: ")) << started.err;
  const std::string abi =
      "pack not loaded: " + opr::test::abi_major_refusal(packs() / "abi_major.so");
  EXPECT_TRUE(opr::test::contains(checked.err, "warning: " + abi + "\n")) << checked.err;
  EXPECT_TRUE(opr::test::contains(
      checked.err, "warning: pack not loaded: " + (packs() / "no_entry.so").string() +
                       ": no entry symbol op_pack_entry"))
      << checked.err;

  // What create() refused, in the pack's words.
  const std::string marker = "pack 'control' could not create an instance for target 'refused'";
  const auto checked_refusals = messages(checked.err, marker);
  ASSERT_EQ(checked_refusals, std::vector<std::string>{marker + ": no such mode"}) << checked.err;
  const auto started_refusals = messages(started.err, marker);
  ASSERT_FALSE(started_refusals.empty()) << started.err;
  for (const auto& line : started_refusals) EXPECT_EQ(line, checked_refusals.front());

  // config check went on past the broken packs to the good target, and
  // refused the config for the one create() refused.
  EXPECT_EQ(checked.exit_code, 1);
  EXPECT_TRUE(opr::test::contains(checked.err, "operator.yaml:9:21: " + marker)) << checked.err;
  EXPECT_FALSE(opr::test::contains(checked.err, "'fine'")) << checked.err;
}

// Without the refusing target the broken files stay warnings: the config
// is valid, as the monitor would run it.
TEST_F(ConfigCheckPacks, BrokenPacksNoTargetUsesAreWarningsOfAValidConfig) {
  write_file(dir_ / "refuse", "\n");
  write_config();
  const auto checked = config_check();
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_EQ(messages(checked.err, "warning: pack not loaded: ").size(), 2u) << checked.err;
  EXPECT_TRUE(opr::test::contains(checked.out, ": valid; 2 targets, 2 of 2 checks enabled"))
      << checked.out;
}

// With --json, the error that makes the config invalid comes with the pack
// files that did not load: they may be why a target's pack is missing.
TEST_F(ConfigCheckPacks, TheJsonErrorListsThePacksThatDidNotLoad) {
  write_config();
  const auto checked = config_check_json();
  EXPECT_EQ(checked.exit_code, 1);
  EXPECT_TRUE(checked.out.empty()) << checked.out;
  // The error is the last thing on stderr, one JSON object on one line.
  std::string last;
  std::istringstream lines(checked.err);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) last = line;
  }
  const auto error = nlohmann::json::parse(last, nullptr, false);
  ASSERT_TRUE(error.is_object()) << checked.err;
  EXPECT_EQ(error["exit_code"], 1);
  EXPECT_TRUE(opr::test::contains(error["error"].get<std::string>(),
                                  "could not create an instance for target 'refused'"))
      << last;
  ASSERT_TRUE(error["warnings"].is_array()) << last;
  ASSERT_EQ(error["warnings"].size(), 2u) << last;
  for (const auto& warning : error["warnings"]) {
    EXPECT_TRUE(
        opr::test::contains(warning.get<std::string>(), "pack not loaded: " + packs().string()))
        << last;
  }
}

}  // namespace
