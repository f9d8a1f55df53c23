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
  try {
    auto raw = config::read_config(*global.config);
    engine::PackSet packs = engine::load_pack_set(*raw, global.plugin_dirs);
    for (const auto& error : packs.errors) std::cerr << "warning: " << error << "\n";
    const engine::Setup setup = engine::resolve_setup(std::move(raw), std::move(packs));

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

int run(const GlobalOptions& global, const ConfigCheckRequest&) { return check_config(global); }

}  // namespace opr::cli
