// operator-host plugins list [--plugin-dir DIR]... [--json]
#include <iostream>

#include "cli/commands.h"
#include "cli/plugins_format.h"
#include "common/json_output.h"
#include "plugins/pack_loader.h"

namespace opr::cli {

int run(const GlobalOptions& global, const PluginsListRequest& request) {
  const auto dirs =
      global.plugin_dirs.empty() ? plugins::default_plugin_dirs() : global.plugin_dirs;
  const auto packs = plugins::load_packs(dirs);
  bool any_failed = false;
  for (const auto& pack : packs) any_failed = any_failed || !pack.ok();
  if (request.json) {
    std::cout << json_output(packs_to_json(packs), 2) << "\n";
  } else {
    std::cout << format_packs_text(packs);
  }
  if (any_failed) std::cerr << "operator-host: some packs failed to load (see above)\n";
  return any_failed ? 1 : 0;
}

}  // namespace opr::cli
