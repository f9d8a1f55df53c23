#include "engine/setup.h"

#include <spdlog/spdlog.h>

namespace opr::engine {

Setup load_setup(const std::filesystem::path& file,
                 const std::vector<std::filesystem::path>& plugin_dirs) {
  Setup setup;
  setup.raw = config::read_config(file);
  std::vector<std::filesystem::path> dirs = plugin_dirs;
  if (dirs.empty()) dirs = config::plugin_dirs(*setup.raw);
  if (dirs.empty()) dirs = plugins::default_plugin_dirs();

  config::PackCatalog catalog;
  std::vector<std::string> load_errors;
  for (auto& loaded : plugins::load_packs(dirs)) {
    if (!loaded.ok()) {
      spdlog::error("pack not loaded: {}", loaded.error);
      load_errors.push_back(loaded.error);
      continue;
    }
    auto pack = std::make_shared<const plugins::LoadedPack>(std::move(loaded));
    catalog.emplace(pack->descriptor->name, pack->descriptor);
    setup.packs.emplace(pack->descriptor->name, std::move(pack));
  }
  setup.config = config::resolve_config(*setup.raw, catalog, load_errors);
  return setup;
}

}  // namespace opr::engine
