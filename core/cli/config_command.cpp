// operator-host config check --config FILE [--plugin-dir DIR]...
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/table.h"
#include "common/duration.h"
#include "common/terminal_text.h"
#include "config/config.h"
#include "engine/instance_check.h"
#include "engine/setup.h"
#include "http/client.h"

namespace opr::cli {
namespace {

// An error as stderr shows it: one line, which may quote the config and
// what packs said, so that neither can forge another.
void print_error(const std::string& message) { std::cerr << escape_for_terminal(message) << "\n"; }

// Every error the monitor would refuse the config for: the config itself,
// then what each target's pack refuses at create().
int check_config(const GlobalOptions& global) {
  try {
    auto raw = config::read_config(*global.config);
    engine::PackSet packs = engine::load_pack_set(*raw, global.plugin_dirs);
    for (const auto& error : packs.errors) print_error("warning: " + error);
    const engine::Setup setup = engine::resolve_setup(std::move(raw), std::move(packs));

    const engine::InstanceCheck instances =
        engine::check_instances(setup, std::make_shared<http::Client>());
    if (!instances.errors.empty()) {
      for (const auto& error : instances.errors) print_error(error.what());
      if (instances.abandoned) {
        // A pack is still inside create() or destroy() on another thread.
        std::cerr.flush();
        std::_Exit(1);
      }
      return 1;
    }

    const config::Config& config = setup.config;
    Table table(
        {{"TARGET"}, {"CHECK"}, {"ENABLED"}, {"INTERVAL"}, {"TIMEOUT"}, {"GRACE"}, {"SEVERITY"}});
    size_t enabled = 0, total = 0;
    for (const auto& target : config.targets) {
      for (const auto& check : target.checks) {
        ++total;
        if (check.enabled) ++enabled;
        table.add_row({target.name, check.name, check.enabled ? "yes" : "no",
                       format_duration(check.interval), format_duration(check.timeout),
                       format_duration(check.grace), std::string(to_string(check.severity))});
      }
    }
    table.print(std::cout);
    std::cout << escape_for_terminal(global.config->string()) << ": valid; "
              << config.targets.size() << " target" << (config.targets.size() == 1 ? "" : "s")
              << ", " << enabled << " of " << total << " checks enabled\n";
    return 0;
  } catch (const config::ConfigError& e) {
    print_error(e.what());
    return 1;
  }
}

}  // namespace

int run(const GlobalOptions& global, const ConfigCheckRequest&) { return check_config(global); }

}  // namespace opr::cli
