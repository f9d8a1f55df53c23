// `operator-host plugins list` as a user runs it: real packs, broken ones
// among them, in a folder of the test's own.
#include <gtest/gtest.h>
#include <operator/plugin.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using opr::test::CommandResult;
using opr::test::contains;
using opr::test::copy_pack;
using opr::test::example_pack;
using opr::test::fixture_pack;
using opr::test::TempDir;

CommandResult plugins_list(const std::vector<std::string>& extra,
                           const opr::test::ProcessOptions& options = {}) {
  std::vector<std::string> args = {"plugins", "list"};
  args.insert(args.end(), extra.begin(), extra.end());
  return opr::test::run_operator_host(args, options, std::chrono::seconds(30));
}

TEST(PluginsList, ListsGoodPacksAndExplainsEachBrokenOne) {
  TempDir dir;
  copy_pack(example_pack(), dir.path());
  for (const char* name : {"bad", "no_entry", "abi_major", "newer_minor", "reserved_param",
                           "duplicate_check", "throws"}) {
    copy_pack(fixture_pack(name), dir.path());
  }
  const auto result = plugins_list({"--plugin-dir", dir.path().string()});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const std::string& out = result.out;
  const auto file = [&](const char* name) { return (dir / name).string(); };
  const std::string host = std::to_string(OP_ABI_MAJOR) + "." + std::to_string(OP_ABI_MINOR);
  const std::string next = std::to_string(OP_ABI_MAJOR) + "." + std::to_string(OP_ABI_MINOR + 1);
  EXPECT_TRUE(contains(out, "example 1.0.0  (ABI " + host + ")  " + file("example.so"))) << out;
  EXPECT_TRUE(contains(out, "throws 0.0.1")) << out;
  EXPECT_TRUE(contains(out, file("bad.so") + ": not a shared library")) << out;
  EXPECT_TRUE(contains(out, file("no_entry.so") + ": no entry symbol op_pack_entry")) << out;
  EXPECT_TRUE(contains(out, opr::test::abi_major_refusal(file("abi_major.so")))) << out;
  EXPECT_TRUE(contains(
      out, file("newer_minor.so") + ": pack ABI " + next + " is newer than this host's " + host +
               "; rebuild the pack against SDK " + host + " or upgrade operator-host"))
      << out;
  EXPECT_TRUE(contains(out, file("reserved_param.so") + ": invalid pack descriptor: check "
                                                        "'check': parameter #0 'interval'"))
      << out;
  EXPECT_TRUE(contains(out, file("duplicate_check.so") +
                                ": invalid pack descriptor: check #1 'same': check name is "
                                "declared twice"))
      << out;
  EXPECT_TRUE(contains(out, "2 pack(s) loaded, 6 failed")) << out;
}

// Each pack is loaded in a runner of its own: one that crashes while
// loading (here in op_pack_entry) is a broken pack, named with its signal,
// and the others are listed as usual.
TEST(PluginsList, APackThatCrashesWhileLoadingIsListedAsBrokenBesideTheOthers) {
  TempDir dir;
  copy_pack(example_pack(), dir.path());
  copy_pack(fixture_pack("crash_entry"), dir.path());
  copy_pack(fixture_pack("unruly"), dir.path());
  const std::string crashed = opr::test::crashed_while_loading(dir / "crash_entry.so");
  const auto text = plugins_list({"--plugin-dir", dir.path().string()});
  EXPECT_EQ(text.exit_code, 1) << text.err;
  EXPECT_TRUE(contains(text.out, crashed)) << text.out;
  EXPECT_TRUE(contains(text.out, "example 1.0.0")) << text.out;
  EXPECT_TRUE(contains(text.out, "unruly 1.0.0")) << text.out;
  EXPECT_TRUE(contains(text.out, "2 pack(s) loaded, 1 failed")) << text.out;

  const auto json = plugins_list({"--plugin-dir", dir.path().string(), "--json"});
  EXPECT_EQ(json.exit_code, 1) << json.err;
  const auto packs = nlohmann::json::parse(json.out);
  EXPECT_EQ(packs["failed"], 1);
  ASSERT_EQ(packs["packs"].size(), 3u);
  EXPECT_EQ(packs["packs"][0]["loaded"], false);
  EXPECT_EQ(packs["packs"][0]["error"], crashed);
  EXPECT_EQ(packs["packs"][1]["name"], "example");
  EXPECT_EQ(packs["packs"][2]["name"], "unruly");
}

TEST(ConfigCheck, APackThatCrashesWhileLoadingIsReportedAndTheConfigChecked) {
  TempDir dir;
  const auto packs = dir / "packs";
  fs::create_directory(packs);
  copy_pack(example_pack(), packs);
  copy_pack(fixture_pack("crash_entry"), packs);
  opr::test::write_file(dir / "operator.yaml",
                        "plugin_dirs: [" + packs.string() +
                            "]\ntargets:\n  - name: files\n    pack: example\n    checks:\n"
                            "      http_ok: {enabled: false}\n"
                            "      file_fresh: {path: /etc/hostname}\n");
  const auto result = opr::test::run_operator_host(
      {"config", "check", "--config", (dir / "operator.yaml").string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(contains(result.err, opr::test::crashed_while_loading(packs / "crash_entry.so")))
      << result.err;
  EXPECT_TRUE(contains(result.out, "valid; 1 target, 1 of 2 checks enabled")) << result.out;
}

TEST(PluginsList, ShowsChecksParametersAndDefaults) {
  TempDir dir;
  copy_pack(example_pack(), dir.path());
  const auto result = plugins_list({"--plugin-dir", dir.path().string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "http_ok  [critical, interval 30s, grace 1m]")) << result.out;
  EXPECT_TRUE(contains(result.out, "expect_status   string-list  = 200-399")) << result.out;
  EXPECT_TRUE(contains(result.out, "url             string       required")) << result.out;
  EXPECT_TRUE(contains(result.out, "file_fresh  [warning, interval 1m, grace 0s]")) << result.out;
}

TEST(PluginsList, FitsAnEightyColumnTerminal) {
  // Every pack this build ships; the folder name is the only long part.
  const auto result = plugins_list({"--plugin-dir", opr::test::packs_dir().string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    if (contains(line, opr::test::packs_dir().string())) continue;
    EXPECT_LE(line.size(), 80u) << line;
  }
}

TEST(PluginsList, JsonIsCompleteForScripts) {
  TempDir dir;
  copy_pack(example_pack(), dir.path());
  copy_pack(fixture_pack("bad"), dir.path());
  const auto result = plugins_list({"--plugin-dir", dir.path().string(), "--json"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["failed"], 1);
  const auto& packs = json["packs"];
  ASSERT_EQ(packs.size(), 2u);
  EXPECT_EQ(packs[0]["file"], (dir / "bad.so").string());
  EXPECT_EQ(packs[0]["loaded"], false);
  EXPECT_TRUE(contains(packs[0]["error"].get<std::string>(), "not a shared library"));
  const auto& ex = packs[1];
  EXPECT_EQ(ex["name"], "example");
  EXPECT_EQ(ex["version"], "1.0.0");
  EXPECT_EQ(ex["abi"], std::to_string(OP_ABI_MAJOR) + "." + std::to_string(OP_ABI_MINOR));
  ASSERT_EQ(ex["checks"].size(), 2u);
  const auto& http_ok = ex["checks"][0];
  EXPECT_EQ(http_ok["name"], "http_ok");
  EXPECT_EQ(http_ok["severity"], "critical");
  EXPECT_EQ(http_ok["interval_ms"], 30000);
  EXPECT_EQ(http_ok["grace_ms"], 60000);
  EXPECT_EQ(http_ok["params"][0], (nlohmann::json{{"name", "url"},
                                                  {"type", "string"},
                                                  {"default", nullptr},
                                                  {"secret", false},
                                                  {"required", true},
                                                  {"doc", "the URL to GET (http or https)"},
                                                  {"min", nullptr},
                                                  {"min_exclusive", false},
                                                  {"max", nullptr},
                                                  {"max_exclusive", false}}));
  EXPECT_EQ(http_ok["params"][1]["default"], "200-399");
  EXPECT_EQ(ex["checks"][1]["params"][1]["type"], "duration");
}

TEST(PluginsList, JsonCarriesTheFixItOfAPackOfAnotherAbiMajor) {
  TempDir dir;
  const auto file = copy_pack(fixture_pack("abi_major"), dir.path());
  const auto result = plugins_list({"--plugin-dir", dir.path().string(), "--json"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json["packs"].size(), 1u);
  EXPECT_EQ(json["packs"][0]["loaded"], false);
  EXPECT_EQ(json["packs"][0]["error"], opr::test::abi_major_refusal(file));
}

TEST(PluginsList, TwoPacksWithOneNameNameBothFiles) {
  TempDir dir;
  const auto first = copy_pack(example_pack(), dir.path(), "a.so");
  const auto second = copy_pack(example_pack(), dir.path(), "b.so");
  const auto result = plugins_list({"--plugin-dir", dir.path().string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(
      result.out, second.string() + ": pack name 'example' is already taken by " + first.string()))
      << result.out;
}

TEST(PluginsList, RefusesAGroupWritablePackAndSaysHowToFixIt) {
  TempDir dir;
  const auto file = copy_pack(example_pack(), dir.path());
  fs::permissions(file, fs::perms(0775));
  const auto result = plugins_list({"--plugin-dir", dir.path().string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.out, "writable by group or others")) << result.out;
  EXPECT_TRUE(contains(result.out, "chmod go-w " + file.string())) << result.out;
}

TEST(PluginsList, RefusesAPackInAWorldWritableFolder) {
  TempDir dir;
  const fs::path folder = dir / "packs";
  fs::create_directory(folder);
  copy_pack(example_pack(), folder);
  fs::permissions(folder, fs::perms(0777));
  const auto result = plugins_list({"--plugin-dir", folder.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.out, "chmod go-w " + folder.string())) << result.out;
}

TEST(PluginsList, SearchesEveryFolderGiven) {
  TempDir one, two;
  copy_pack(example_pack(), one.path());
  copy_pack(fixture_pack("throws"), two.path());
  const auto result =
      plugins_list({"--plugin-dir", one.path().string(), "--plugin-dir", two.path().string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "2 pack(s) loaded, 0 failed")) << result.out;
}

TEST(PluginsList, UsesOperatorPluginPathWhenNoFolderIsGiven) {
  TempDir dir;
  copy_pack(example_pack(), dir.path());
  opr::test::ProcessOptions options;
  options.env["OPERATOR_PLUGIN_PATH"] = dir.path().string();
  const auto result = plugins_list({}, options);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, (dir / "example.so").string())) << result.out;
}

TEST(PluginsList, MissingFolderIsAFailure) {
  TempDir dir;
  const auto result = plugins_list({"--plugin-dir", (dir / "nope").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.out, "plugin folder does not exist")) << result.out;
}

TEST(PluginsList, BadUsageExitsTwo) {
  EXPECT_EQ(plugins_list({"--bogus"}).exit_code, 2);
  const auto no_subcommand =
      opr::test::run_operator_host({"plugins"}, {}, std::chrono::seconds(30));
  EXPECT_EQ(no_subcommand.exit_code, 2);
  EXPECT_EQ(no_subcommand.err,
            "operator-host: plugins: missing subcommand (list or test); see 'operator-host plugins "
            "--help'\n");
}

}  // namespace
