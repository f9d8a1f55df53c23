#include "cli/command_output.h"

#include <iostream>

#include "common/json_output.h"
#include "common/terminal_text.h"

namespace opr::cli {

config::LogConfig command_log(const GlobalOptions& global, config::LogConfig log) {
  if (global.json) log.format = "json";
  return log;
}

void print_json(const nlohmann::ordered_json& json) { std::cout << json_output(json, 2) << "\n"; }

void print_error(bool json, const std::string& message, int exit_code,
                 const std::vector<std::string>& all, const std::vector<std::string>& warnings) {
  if (!json) {
    std::cerr << "operator-host: " << escape_for_terminal(message, TextLayout::lines) << "\n";
    return;
  }
  nlohmann::ordered_json error = {{"error", message}, {"exit_code", exit_code}};
  if (all.size() > 1) error["errors"] = all;
  if (!warnings.empty()) error["warnings"] = warnings;
  std::cerr << json_output(error) << "\n" << std::flush;
}

}  // namespace opr::cli
