#include "engine/setup.h"

#include <spdlog/spdlog.h>

#include "common/duration.h"
#include "engine/instances.h"
#include "isolation/probe.h"
#include "notify/router.h"

namespace opr::engine {

config::PackCatalog PackSet::catalog() const {
  config::PackCatalog catalog;
  for (const auto& [name, pack] : packs) catalog.emplace(name, pack->declaration.get());
  return catalog;
}

PackSet load_pack_set(const config::RawConfig& raw,
                      const std::vector<std::filesystem::path>& plugin_dirs) {
  std::vector<std::filesystem::path> dirs = plugin_dirs;
  if (dirs.empty()) dirs = config::plugin_dirs(raw);
  if (dirs.empty()) dirs = plugins::default_plugin_dirs();
  PackSet set;
  const auto options = runner_options(config::defaults(raw).runner_limits);
  for (auto& loaded : isolation::probe_packs(dirs, options)) {
    if (!loaded.ok()) {
      set.errors.push_back(loaded.error);
      continue;
    }
    auto pack = std::make_shared<const plugins::LoadedPack>(std::move(loaded));
    const std::string name = pack->name();
    set.packs.emplace(name, std::move(pack));
  }
  return set;
}

tickets::StoreOptions store_options(const config::Config& config) {
  tickets::StoreOptions options;
  options.flapping_threshold = config.flapping_threshold;
  options.flapping_window = config.flapping_window;
  options.router = notify::make_router(config);
  return options;
}

Setup resolve_setup(std::shared_ptr<const config::RawConfig> raw, PackSet packs) {
  Setup setup;
  setup.raw = std::move(raw);
  setup.config = config::resolve_config(*setup.raw, packs.catalog(), packs.errors);
  setup.packs = std::move(packs.packs);
  setup.pack_load_failures = packs.errors.size();
  for (const auto& target : setup.config.targets) {
    if (target.isolation != config::Isolation::in_process) continue;
    auto& pack = setup.packs.at(target.pack);  // resolve_config found it
    if (pack->in_process()) continue;
    plugins::LoadedPack loaded = plugins::load_pack(pack->file);
    if (!loaded.ok()) {
      throw config::ConfigError(target.mark, "pack '" + target.pack + "' of target '" +
                                                 target.name +
                                                 "' (isolation: in_process) does not load "
                                                 "into the host: " +
                                                 loaded.error);
    }
    if (loaded.name() != target.pack) {
      throw config::ConfigError(target.mark, "the file of pack '" + target.pack + "' (" +
                                                 pack->file.string() +
                                                 ") changed while it was loaded; try again");
    }
    pack = std::make_shared<const plugins::LoadedPack>(std::move(loaded));
  }
  return setup;
}

Setup load_setup(const std::filesystem::path& file,
                 const std::vector<std::filesystem::path>& plugin_dirs,
                 const PackErrorSink& on_pack_error) {
  auto raw = config::read_config(file);
  PackSet packs = load_pack_set(*raw, plugin_dirs);
  for (const auto& error : packs.errors) {
    const std::string line = "pack not loaded: " + error;
    if (on_pack_error) {
      on_pack_error(line);
    } else {
      spdlog::error("{}", line);
    }
  }
  return resolve_setup(std::move(raw), std::move(packs));
}

void check_cluster_timeouts(const config::Config& config) {
  const auto usable = config.cluster.lease * 2 / 3;
  for (const auto& target : config.targets) {
    for (const auto& check : target.checks) {
      const auto longest = check.timeout + call_overrun(target);
      if (!check.enabled || longest < usable) continue;
      const std::string set_at = config.cluster.mark.line > 0
                                     ? ", line " + std::to_string(config.cluster.mark.line)
                                     : ", the default";
      std::string with_runner;
      if (longest != check.timeout) {
        with_runner = " plus " + format_duration(longest - check.timeout) + " for its runner";
      }
      throw config::ConfigError(
          check.mark, "the timeout of " + target.name + "/" + check.name + " (" +
                          format_duration(check.timeout) + with_runner +
                          ") must be shorter than two thirds of 'lease' in 'cluster' (" +
                          format_duration(config.cluster.lease) + set_at +
                          "): a host starts a run only while its lease outlives it; raise the "
                          "lease or lower the timeout");
    }
  }
}

}  // namespace opr::engine
