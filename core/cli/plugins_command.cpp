// operator-host plugins list [--plugin-dir DIR]... [--json]
#include <iostream>

#include "cli/command_output.h"
#include "cli/commands.h"
#include "cli/plugins_format.h"
#include "config/config.h"
#include "engine/instances.h"
#include "isolation/probe.h"
#include "plugins/pack_loader.h"

namespace opr::cli {

int run(const GlobalOptions& global, const PluginsListRequest&) {
  const auto dirs =
      global.plugin_dirs.empty() ? plugins::default_plugin_dirs() : global.plugin_dirs;
  // Each pack as a runner sees it: one that crashes while loading is listed
  // as broken, and the others as usual.
  const auto packs =
      isolation::probe_packs(dirs, engine::runner_options(config::Defaults{}.runner_limits));
  std::size_t failed = 0;
  for (const auto& pack : packs) failed += pack.ok() ? 0 : 1;
  if (global.json) {
    print_json(packs_to_json(packs));
  } else {
    std::cout << format_packs_text(packs);
  }
  if (failed == 0) return 0;
  print_error(global.json,
              std::to_string(failed) + " of " + std::to_string(packs.size()) +
                  " packs failed to load" + (global.json ? "" : " (see above)"),
              1);
  return 1;
}

}  // namespace opr::cli
