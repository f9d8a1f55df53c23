// operator-host plugins test [--plugin-dir DIR]... FILE...: promtool-style
// output, each failing run with expected versus got, then a summary line.
#include <iostream>

#include "cli/command_output.h"
#include "cli/commands.h"
#include "common/terminal_text.h"
#include "packtest/test_runner.h"
#include "plugins/pack_loader.h"

namespace opr::cli {
namespace {

nlohmann::ordered_json to_json(const packtest::FileResult& result) {
  nlohmann::ordered_json json;
  json["file"] = result.file.string();
  json["passed"] = result.passed();
  json["runs"] = result.runs;
  if (result.error) json["error"] = *result.error;
  json["failures"] = nlohmann::ordered_json::array();
  for (const auto& failure : result.failures) {
    json["failures"].push_back({{"run", failure.where}, {"mismatches", failure.lines}});
  }
  return json;
}

void print_text(const packtest::FileResult& result) {
  if (result.error) {
    std::cout << "  FAILED: " << escape_for_terminal(*result.error) << "\n";
    return;
  }
  for (const auto& failure : result.failures) {
    std::cout << "  FAILED: " << escape_for_terminal(failure.where) << "\n";
    for (const auto& line : failure.lines) std::cout << "    " << line << "\n";
  }
  if (result.failures.empty()) std::cout << "  SUCCESS\n";
}

}  // namespace

int run(const GlobalOptions& global, const PluginsTestRequest& request) {
  const auto dirs =
      global.plugin_dirs.empty() ? plugins::default_plugin_dirs() : global.plugin_dirs;
  int failed = 0;
  int runs = 0;
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const auto& file : request.files) {
    if (!global.json) std::cout << "Testing " << escape_for_terminal(file.string()) << "\n";
    const packtest::FileResult result = packtest::run_test_file(file, dirs);
    failed += result.passed() ? 0 : 1;
    runs += result.runs;
    if (global.json) {
      files.push_back(to_json(result));
    } else {
      print_text(result);
    }
  }
  const int total = static_cast<int>(request.files.size());
  if (global.json) {
    print_json({{"passed", failed == 0}, {"files", files}});
  } else {
    std::cout << "\n"
              << (failed == 0 ? "PASSED" : "FAILED") << ": " << total - failed << " of " << total
              << " test files passed (" << runs << " runs)\n";
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace opr::cli
