// The subcommands of operator-host. Each takes the options common to all
// commands and the words that followed its name, and returns the exit code:
// 0 done, 1 refused / failed / not found, 2 bad usage (unless the command
// documents others, as the monitor's --once does).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace opr::cli {

struct GlobalOptions {
  std::optional<std::filesystem::path> config;      // --config
  std::optional<std::string> database;              // --db
  std::vector<std::filesystem::path> plugin_dirs;   // --plugin-dir (repeatable)
  std::optional<std::string> log_level;             // --log-level
  bool once = false;                                // --once
};

// Thrown for bad usage; main prints the message and exits 2.
struct UsageError {
  std::string message;
};

int run_monitor(const GlobalOptions& global);  // operator-host --config FILE [--once]
int plugins_command(const GlobalOptions& global, const std::vector<std::string>& args);
int tickets_command(const GlobalOptions& global, const std::vector<std::string>& args);
int config_command(const GlobalOptions& global, const std::vector<std::string>& args);

}  // namespace opr::cli
