// operator-host: the monitor, and the commands that manage its packs,
// config and tickets. Every error goes to stderr through
// escape_for_terminal (it may quote what a user, a pack or a library
// wrote), or as one JSON object with --json (cli/command_output.h).
// Exit codes: 0 done, 1 failed, 2 bad usage; with --once, a monitoring
// plugin's (cli/plugin_output.h), every error that keeps it from running
// being 3 (UNKNOWN).
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "cli/allocator_tuning.h"
#include "cli/command_line.h"
#include "cli/command_output.h"
#include "cli/commands.h"
#include "cli/plugin_output.h"
#include "common/terminal_text.h"
#include "config/config.h"
#include "engine/logging.h"
#include "isolation/runner_main.h"

int main(int argc, char** argv) {
  namespace cli = opr::cli;
  // A pack runner the host started (not a user command, not in the help).
  // Its pack's runs allocate and free the same megabytes every cycle, as the
  // monitor's do in-process: the same allocator settings keep them.
  if (argc > 1 && std::string(argv[1]) == opr::isolation::kRunnerCommand) {
    cli::tune_allocator_for_monitor();
    return opr::isolation::run_pack_runner(std::vector<std::string>(argv + 2, argv + argc));
  }
  // Under systemd, errors reach the journal as errors (journalctl -p err).
  opr::engine::mark_error_lines_for_journal();
  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  // With --once the caller is a monitoring system: what keeps the run from
  // starting is UNKNOWN (3), said on stdout too, where the caller reads
  // (unless it asked for --json, which it reads from stderr then). Both are
  // read from the words, so that words that do not parse obey them too.
  const bool plugin = cli::asks_once(args);
  const bool json = cli::asks_json(args);
  const auto cannot_run = [plugin, json](const std::string& message, int code) {
    const int exit_code = plugin ? cli::kPluginUnknown : code;
    cli::print_error(json, message, exit_code);
    if (plugin && !json) std::cout << cli::plugin_unknown_line(message) << std::flush;
    return exit_code;
  };
  cli::CommandLine line;
  try {
    line = cli::parse_command_line(args);
  } catch (const cli::UsageError& e) {
    return cannot_run(e.message, 2);
  }
  const bool shows_text = std::holds_alternative<cli::ShowText>(line.request) ||
                          std::holds_alternative<cli::ShowVersion>(line.request);
  if (line.global.log_level && !shows_text) {
    try {
      opr::engine::check_log_level(*line.global.log_level);
    } catch (const std::invalid_argument& e) {
      // One line (the level is the user's word), shaped as every usage error.
      return cannot_run(
          "--log-level: " + opr::escape_for_terminal(e.what()) + "; see 'operator-host --help'", 2);
    }
  }
  // Log lines (a pack runner's stderr, say) go to stderr from the start,
  // whatever the command: stdout holds only what the command prints, so
  // `--json` stays JSON. The monitor sets the config's logging itself.
  opr::engine::setup_logging(cli::command_log(line.global), line.global.log_level);
  try {
    return std::visit(
        [&](const auto& request) -> int {
          using Request = std::decay_t<decltype(request)>;
          if constexpr (std::is_same_v<Request, cli::ShowText>) {
            std::cout << request.text;
            return 0;
          } else if constexpr (std::is_same_v<Request, cli::ShowVersion>) {
            std::cout << cli::version_text(line.global.json);
            return 0;
          } else {
            return cli::run(line.global, request);
          }
        },
        line.request);
  } catch (const cli::UsageError& e) {
    return cannot_run(e.message, 2);
  } catch (const std::exception& e) {
    return cannot_run(e.what(), 1);
  }
}
