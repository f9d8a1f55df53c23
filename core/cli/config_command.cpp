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

constexpr const char* kConfigUsage =
    "usage: operator-host config check --config FILE [--plugin-dir DIR]...\n"
    "  Reads the config, loads the packs from its plugin_dirs (--plugin-dir overrides them;\n"
    "  with neither: $OPERATOR_PLUGIN_PATH, else the installed packs), checks every target\n"
    "  and check against what the packs declare, creates and destroys each target's pack\n"
    "  instance (no network: packs must not use it there) and prints the schedule.\n"
    "  Exit code 0 when the config is valid, 1 otherwise (FILE:LINE:COLUMN: message).\n";

// An error as stderr shows it: it may quote the config and what packs said.
void print_error(const std::string& message) {
  std::cerr << escape_for_terminal(message, TextLayout::lines) << "\n";
}

// Every error the monitor would refuse the config for: the config itself,
// then what each target's pack refuses at create().
int check_config(const GlobalOptions& global) {
  if (!global.config)
    throw UsageError{std::string("config check: --config FILE is required\n") + kConfigUsage};
  try {
    engine::Setup setup;
    setup.raw = config::read_config(*global.config);
    engine::PackSet packs = engine::load_pack_set(*setup.raw, global.plugin_dirs);
    for (const auto& error : packs.errors) print_error("warning: " + error);
    setup.config = config::resolve_config(*setup.raw, packs.catalog(), packs.errors);
    setup.packs = std::move(packs.packs);

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

int config_command(const GlobalOptions& global, const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError{std::string("config: missing subcommand\n") + kConfigUsage};
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kConfigUsage;
    return 0;
  }
  if (args[0] != "check") {
    throw UsageError{"config: unknown subcommand '" + args[0] + "'\n" + kConfigUsage};
  }
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      std::cout << kConfigUsage;
      return 0;
    }
    throw UsageError{"config check: unknown argument '" + args[i] + "'\n" + kConfigUsage};
  }
  return check_config(global);
}

}  // namespace opr::cli
