// operator-host plugins list [--plugin-dir DIR]... [--json]
#include <iostream>

#include "cli/commands.h"
#include "cli/plugins_format.h"
#include "common/json_output.h"
#include "config/config.h"
#include "engine/instances.h"
#include "isolation/probe.h"
#include "plugins/pack_loader.h"

namespace opr::cli {

int run(const GlobalOptions& global, const PluginsListRequest& request) {
  const auto dirs =
      global.plugin_dirs.empty() ? plugins::default_plugin_dirs() : global.plugin_dirs;
  // Each pack as a runner sees it: one that crashes while loading is listed
  // as broken, and the others as usual.
  const auto packs =
      isolation::probe_packs(dirs, engine::runner_options(config::Defaults{}.runner_limits));
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
