// The man pages, operator-host(1) and operator.yaml(5), as `man` shows
// them: they format without a warning, they document every option the
// command line's help prints and every key the config reader knows, and
// `cmake --install` puts them where `man` finds them.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_help.h"
#include "test_support.h"

namespace opr::test {
namespace {

namespace fs = std::filesystem;

fs::path man_page(const std::string& name) { return source_dir() / "docs/man" / name; }

// The text a page shows in bold (option and key names, terms): the
// arguments of its .B, .BR, .RB, .BI, .IB, .OP and .SS lines and every
// \fB...\fR, with roff's \- read as "-" and other escapes dropped, so
// "\fB\-\-note\fR" reads "--note".
std::string bold_text(const fs::path& page) {
  std::string text;
  std::istringstream lines(read_file(page));
  const std::regex macro(R"(^\.(B|BR|RB|BI|IB|OP|SS)\s(.*)$)");
  const std::regex inline_bold(R"(\\fB(.*?)\\f[RPI])");
  for (std::string line; std::getline(lines, line);) {
    line = std::regex_replace(line, std::regex(R"(\\-)"), "-");
    std::smatch match;
    if (std::regex_match(line, match, macro)) text += match[2].str() + "\n";
    for (auto it = std::sregex_iterator(line.begin(), line.end(), inline_bold);
         it != std::sregex_iterator(); ++it) {
      text += (*it)[1].str() + "\n";
    }
  }
  return std::regex_replace(text, std::regex(R"(\\f[BIRP]|\\&|\\\(dq|")"), " ");
}

// Whether `word` stands in `text` as a whole word ("--all" not in "--allx").
bool has_word(const std::string& text, const std::string& word) {
  const auto part = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  };
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !part(text[at - 1]);
    const size_t end = at + word.size();
    if (starts && (end == text.size() || !part(text[end]))) return true;
  }
  return false;
}

TEST(ManPages, FormatWithoutWarnings) {
  for (const char* name : {"operator-host.1", "operator.yaml.5"}) {
    // What `man` itself reports (man-db; scripts/setup installs it) ...
    CommandResult result = run_command({"/bin/sh", "-c",
                                        "command -v man >/dev/null || { echo 'man is missing: "
                                        "run scripts/setup (man-db)'; exit 99; }; exec man "
                                        "--warnings -E UTF-8 -l -Tutf8 -Z \"$0\" >/dev/null",
                                        man_page(name).string()});
    EXPECT_EQ(result.exit_code, 0) << name << ": " << result.out << result.err;
    EXPECT_EQ(result.err, "") << name;
    // ... and groff with every warning on.
    result = run_command({"/bin/sh", "-c",
                          "command -v groff >/dev/null || { echo 'groff is missing: run "
                          "scripts/setup (groff-base)'; exit 99; }; exec groff -man -ww -z \"$0\"",
                          man_page(name).string()});
    EXPECT_EQ(result.exit_code, 0) << name << ": " << result.out << result.err;
    EXPECT_EQ(result.err, "") << name;
  }
}

TEST(ManPages, OperatorHostDocumentsEveryOptionAndCommandTheHelpNames) {
  const std::string page = bold_text(man_page("operator-host.1"));
  for (const HelpText& help : every_help()) {
    std::string asked;
    for (const auto& word : help.args) asked += word + " ";
    for (const std::string& option : long_options(help.text)) {
      EXPECT_TRUE(has_word(page, option))
          << option << " (in `operator-host " << asked << "`) is not in docs/man/operator-host.1";
    }
  }
  for (const std::string& command : ticket_commands()) {
    EXPECT_TRUE(contains(page, "tickets " + command))
        << "tickets " << command << " is not in docs/man/operator-host.1";
  }
  for (const char* command : {"config check", "plugins list"}) {
    EXPECT_TRUE(contains(page, command)) << command;
  }
}

// The keys the config reader knows in one place, as it lists them when it
// refuses an unknown one ("...; known keys: a, b, c").
std::set<std::string> known_keys(const fs::path& packs, const std::string& config) {
  TempDir dir;
  write_file(dir / "operator.yaml", config);
  const CommandResult result =
      run_operator_host({"config", "check", "--config", (dir / "operator.yaml").string(),
                         "--plugin-dir", packs.string()});
  EXPECT_EQ(result.exit_code, 1) << config;
  std::smatch match;
  const std::string err = result.err;
  if (!std::regex_search(err, match, std::regex(R"(known keys: ([a-z_, ]+))"))) {
    ADD_FAILURE() << "no list of known keys for\n" << config << "\n" << err;
    return {};
  }
  std::set<std::string> keys;
  std::istringstream names(match[1].str());
  for (std::string name; std::getline(names, name, ',');) {
    keys.insert(name.substr(name.find_first_not_of(' ')));
  }
  return keys;
}

TEST(ManPages, OperatorYamlDocumentsEveryKeyTheConfigReaderKnows) {
  TempDir packs;
  copy_pack(example_pack(), packs.path());
  const std::string page = bold_text(man_page("operator.yaml.5"));
  const std::string unknown = "qqqqqqqqqqqqqqqq: 1";  // far from every key: no "did you mean"
  const std::string target = "targets:\n  - {name: t, pack: example, ";
  const std::vector<std::string> sections = {
      unknown + "\n",
      "log: {" + unknown + "}\n",
      "defaults: {" + unknown + "}\n",
      "flapping: {" + unknown + "}\n",
      target + unknown + "}\n",
      target + "checks: {file_fresh: {" + unknown + "}}}\n",
      "notify:\n  - {name: r, type: webhook, url: 'http://127.0.0.1:1', " + unknown + "}\n",
      "notify:\n  - {name: r, type: alertmanager, urls: ['http://127.0.0.1:1'], " + unknown + "}\n",
      "notify:\n  - {name: r, type: command, command: [/bin/true], " + unknown + "}\n",
      "notify:\n  - {name: r, type: command, command: [/bin/true], match: {" + unknown + "}}\n",
      "notify:\n  - {name: r, type: command, command: [/bin/true], retry: {" + unknown + "}}\n",
      "diagnose:\n  - {name: h, command: [/bin/true], " + unknown + "}\n"};
  // A pack's own parameters are the pack's to document (plugins list).
  std::set<std::string> pack_parameters;
  const auto list = nlohmann::json::parse(
      run_operator_host({"plugins", "list", "--json", "--plugin-dir", packs.path().string()}).out);
  for (const auto& pack : list.at("packs")) {
    for (const auto& param : pack.at("params")) pack_parameters.insert(param.at("name"));
    for (const auto& check : pack.at("checks")) {
      for (const auto& param : check.at("params")) pack_parameters.insert(param.at("name"));
    }
  }
  for (const std::string& section : sections) {
    const std::set<std::string> keys = known_keys(packs.path(), section);
    EXPECT_GE(keys.size(), 2u) << section;
    for (const std::string& key : keys) {
      if (pack_parameters.contains(key)) continue;
      EXPECT_TRUE(has_word(page, key))
          << "key '" << key << "' (known in: " << section << ") is not in docs/man/operator.yaml.5";
    }
  }
}

TEST(ManPages, CmakeInstallPutsThemWhereManFindsThem) {
  TempDir dir;
  const fs::path prefix = dir / "prefix";
  CommandResult result =
      run_command({OPR_TEST_CMAKE, "--install", binary_dir().string(), "--prefix", prefix.string()},
                  {}, std::chrono::seconds(120));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  for (const auto& [section, name] : std::vector<std::pair<std::string, std::string>>{
           {"1", "operator-host"}, {"5", "operator.yaml"}}) {
    const fs::path installed =
        prefix / OPR_TEST_MANDIR / ("man" + section) / (name + "." + section);
    ASSERT_TRUE(fs::exists(installed)) << installed;
    EXPECT_EQ(read_file(installed), read_file(man_page(name + "." + section)));
    // `man -M PREFIX/share/man 5 operator.yaml`, as a user with that prefix would.
    ProcessOptions options;
    options.env["MANWIDTH"] = "80";
    options.env["MANPAGER"] = "cat";
    options.env["PAGER"] = "cat";
    result = run_command({"/bin/sh", "-c", "exec man -M \"$0\" \"$1\" \"$2\"",
                          (prefix / OPR_TEST_MANDIR).string(), section, name},
                         options);
    EXPECT_EQ(result.exit_code, 0) << name << ": " << result.err;
    EXPECT_TRUE(contains(result.out, "NAME")) << result.out;
    EXPECT_TRUE(contains(result.out, name)) << result.out;
  }
}

}  // namespace
}  // namespace opr::test
