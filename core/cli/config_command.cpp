// operator-host config check --config FILE [--plugin-dir DIR]...
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "common/duration.h"
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

using Row = std::vector<std::string>;

// Columns padded to their widest cell, two spaces apart, no trailing blanks.
void print_table(std::ostream& out, const std::vector<Row>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  }
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
    for (const auto& error : packs.errors) std::cerr << "warning: " << error << "\n";
    setup.config = config::resolve_config(*setup.raw, packs.catalog(), packs.errors);
    setup.packs = std::move(packs.packs);

    const engine::InstanceCheck instances =
        engine::check_instances(setup, std::make_shared<http::Client>());
    if (!instances.errors.empty()) {
      for (const auto& error : instances.errors) std::cerr << error.what() << "\n";
      if (instances.abandoned) {
        // A pack is still inside create() or destroy() on another thread.
        std::cerr.flush();
        std::_Exit(1);
      }
      return 1;
    }

    const config::Config& config = setup.config;
    std::vector<Row> rows = {
        {"TARGET", "CHECK", "ENABLED", "INTERVAL", "TIMEOUT", "GRACE", "SEVERITY"}};
    size_t enabled = 0, total = 0;
    for (const auto& target : config.targets) {
      for (const auto& check : target.checks) {
        ++total;
        if (check.enabled) ++enabled;
        rows.push_back({target.name, check.name, check.enabled ? "yes" : "no",
                        format_duration(check.interval), format_duration(check.timeout),
                        format_duration(check.grace), std::string(to_string(check.severity))});
      }
    }
    print_table(std::cout, rows);
    std::cout << global.config->string() << ": valid; " << config.targets.size() << " target"
              << (config.targets.size() == 1 ? "" : "s") << ", " << enabled << " of " << total
              << " checks enabled\n";
    return 0;
  } catch (const config::ConfigError& e) {
    std::cerr << e.what() << "\n";
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
