// operator-host plugins list [--plugin-dir DIR]... [--json]
#include <iostream>

#include "cli/commands.h"
#include "cli/plugins_format.h"
#include "common/json_output.h"
#include "plugins/pack_loader.h"

namespace opr::cli {
namespace {

constexpr const char* kPluginsUsage =
    "usage: operator-host plugins list [--plugin-dir DIR]... [--json]\n"
    "  Loads every *.so in the plugin folders (default: $OPERATOR_PLUGIN_PATH, else the\n"
    "  installed packs) and prints each pack with its checks and parameters.\n"
    "  Exit code 1 when any pack failed to load.\n";

}  // namespace

int plugins_command(const GlobalOptions& global, const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError{std::string("plugins: missing subcommand\n") + kPluginsUsage};
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kPluginsUsage;
    return 0;
  }
  if (args[0] != "list") {
    throw UsageError{"plugins: unknown subcommand '" + args[0] + "'\n" + kPluginsUsage};
  }
  bool json = false;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--json") {
      json = true;
    } else if (args[i] == "--help" || args[i] == "-h") {
      std::cout << kPluginsUsage;
      return 0;
    } else {
      throw UsageError{"plugins list: unknown argument '" + args[i] + "'\n" + kPluginsUsage};
    }
  }

  const auto dirs =
      global.plugin_dirs.empty() ? plugins::default_plugin_dirs() : global.plugin_dirs;
  const auto packs = plugins::load_packs(dirs);
  bool any_failed = false;
  for (const auto& pack : packs) any_failed = any_failed || !pack.ok();
  if (json) {
    std::cout << json_output(packs_to_json(packs), 2) << "\n";
  } else {
    std::cout << format_packs_text(packs);
  }
  if (any_failed) std::cerr << "operator-host: some packs failed to load (see above)\n";
  return any_failed ? 1 : 0;
}

}  // namespace opr::cli
