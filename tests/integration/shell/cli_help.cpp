#include "cli_help.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "test_support.h"

namespace opr::test {

namespace {

std::string help_of(const std::vector<std::string>& args) {
  const CommandResult result = run_operator_host(args);
  EXPECT_EQ(result.exit_code, 0) << args.front() << ": " << result.err;
  return result.out;
}

}  // namespace

std::vector<std::string> ticket_commands() {
  // "  operator-host tickets ack|resolve|hold|unhold ID [--note TEXT]"
  const std::regex usage_line(R"(^\s*operator-host tickets ([a-z|]+))");
  std::vector<std::string> commands;
  std::istringstream lines(help_of({"tickets", "--help"}));
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (!std::regex_search(line, match, usage_line)) continue;
    std::istringstream names(match[1].str());
    for (std::string name; std::getline(names, name, '|');) commands.push_back(name);
  }
  EXPECT_GE(commands.size(), 10u) << "tickets --help names too few commands";
  return commands;
}

std::vector<HelpText> every_help() {
  std::vector<std::vector<std::string>> asks = {{"--help"},
                                                {"config", "--help"},
                                                {"config", "check", "--help"},
                                                {"plugins", "--help"},
                                                {"plugins", "list", "--help"},
                                                {"cluster", "--help"},
                                                {"cluster", "status", "--help"},
                                                {"tickets", "--help"}};
  for (const std::string& command : ticket_commands())
    asks.push_back({"tickets", command, "--help"});
  std::vector<HelpText> helps;
  for (auto& args : asks) {
    std::string text = help_of(args);
    helps.push_back({std::move(args), std::move(text)});
  }
  return helps;
}

std::set<std::string> long_options(const std::string& text) {
  std::set<std::string> options;
  const std::regex option(R"(--[a-z][a-z0-9-]*)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), option);
       it != std::sregex_iterator(); ++it) {
    options.insert(it->str());
  }
  return options;
}

std::string options_block(const std::string& text) {
  for (const std::string heading : {"Options for every command:", "Options of tickets "}) {
    const size_t at = text.find(heading);
    if (at != std::string::npos) return text.substr(at + heading.size());
  }
  return text;
}

}  // namespace opr::test
