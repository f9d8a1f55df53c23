#include "engine/setup.h"

#include <spdlog/spdlog.h>

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
  for (auto& loaded : plugins::load_packs(dirs)) {
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
  return options;
}

Setup load_setup(const std::filesystem::path& file,
                 const std::vector<std::filesystem::path>& plugin_dirs) {
  Setup setup;
  setup.raw = config::read_config(file);
  PackSet packs = load_pack_set(*setup.raw, plugin_dirs);
  for (const auto& error : packs.errors) spdlog::error("pack not loaded: {}", error);
  setup.config = config::resolve_config(*setup.raw, packs.catalog(), packs.errors);
  setup.packs = std::move(packs.packs);
  return setup;
}

}  // namespace opr::engine
