// operator-host: the monitor, and the commands that manage its packs,
// config and tickets. Every error goes to stderr through
// escape_for_terminal: it may quote what a user, a pack or a library wrote.
#include <operator/plugin.h>

#include <boost/program_options.hpp>

#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "common/terminal_text.h"
#include "engine/logging.h"

namespace po = boost::program_options;

namespace {

constexpr const char* kUsage = R"(Usage:
  operator-host --config FILE [--once]       run the monitor (--once: one cycle, then exit)
  operator-host config check --config FILE   validate a config and print the schedule
  operator-host plugins list [--plugin-dir DIR]... [--json]
  operator-host tickets list|show|ack|diagnose|resolve|hold|unhold ... [--db CONN]

Options for every command:
)";

}  // namespace

int main(int argc, char** argv) {
  po::options_description global_desc;
  opr::cli::GlobalOptions global;
  std::vector<std::string> plugin_dirs;
  global_desc.add_options()("help,h", "show this help")("version", "print the version")(
      "config,c", po::value<std::string>(), "config file (YAML)")(
      "db", po::value<std::string>(), "ticket database: sqlite3://db=PATH or a path")(
      "plugin-dir", po::value<std::vector<std::string>>(&plugin_dirs)->composing(),
      "folder of invariant packs (repeatable)")("log-level", po::value<std::string>(),
                                                "debug, info, warning or error")(
      "once", po::bool_switch(&global.once), "run every enabled check once, then exit");
  po::options_description hidden;
  hidden.add_options()("words", po::value<std::vector<std::string>>(), "");
  po::options_description all;
  all.add(global_desc).add(hidden);
  po::positional_options_description positional;
  positional.add("words", -1);

  std::vector<std::string> words;
  try {
    po::parsed_options parsed = po::command_line_parser(argc, argv)
                                    .options(all)
                                    .positional(positional)
                                    .allow_unregistered()
                                    .run();
    po::variables_map vm;
    po::store(parsed, vm);
    po::notify(vm);
    if (vm.count("help") && !vm.count("words")) {
      std::cout << kUsage << global_desc << "\n";
      return 0;
    }
    if (vm.count("version")) {
      std::cout << "operator-host " << OPERATOR_VERSION << " (pack ABI " << OP_ABI_MAJOR << "."
                << OP_ABI_MINOR << ")\n";
      return 0;
    }
    if (vm.count("config")) global.config = vm["config"].as<std::string>();
    if (vm.count("db")) global.database = vm["db"].as<std::string>();
    if (vm.count("log-level")) {
      global.log_level = vm["log-level"].as<std::string>();
      try {
        opr::engine::check_log_level(*global.log_level);
      } catch (const std::invalid_argument& e) {
        std::cerr << "operator-host: --log-level: " << opr::escape_for_terminal(e.what()) << "\n";
        return 2;
      }
    }
    for (const auto& dir : plugin_dirs) global.plugin_dirs.emplace_back(dir);
    // Words and options the global parser does not know, in their order,
    // belong to the subcommand.
    words = po::collect_unrecognized(parsed.options, po::include_positional);
    if (vm.count("help")) words.emplace_back("--help");
  } catch (const po::error& e) {
    std::cerr << "operator-host: " << opr::escape_for_terminal(e.what()) << "\n";
    return 2;
  }

  try {
    if (words.empty()) {
      if (!global.config) {
        std::cerr << kUsage << global_desc << "\n";
        return 2;
      }
      return opr::cli::run_monitor(global);
    }
    const std::string command = words.front();
    const std::vector<std::string> args(words.begin() + 1, words.end());
    if (command == "plugins") return opr::cli::plugins_command(global, args);
    if (command == "tickets") return opr::cli::tickets_command(global, args);
    if (command == "config") return opr::cli::config_command(global, args);
    std::cerr << "operator-host: unknown " << (command.starts_with('-') ? "option" : "command")
              << " '" << opr::escape_for_terminal(command) << "'\n"
              << kUsage << global_desc;
    return 2;
  } catch (const opr::cli::UsageError& e) {
    std::cerr << "operator-host: " << opr::escape_for_terminal(e.message, opr::TextLayout::lines)
              << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "operator-host: " << opr::escape_for_terminal(e.what(), opr::TextLayout::lines)
              << "\n";
    return 1;
  }
}
