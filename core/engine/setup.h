// Everything the engine runs from: the resolved config and the packs it was
// resolved against. Built at start and again on every reload.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "plugins/pack_loader.h"

namespace opr::engine {

struct Setup {
  std::shared_ptr<const config::RawConfig> raw;
  config::Config config;
  // Packs that loaded, by name. Instances hold theirs, so a reload that
  // drops a pack never unmaps code that still runs.
  std::map<std::string, std::shared_ptr<const plugins::LoadedPack>, std::less<>> packs;
};

// Reads `file`, loads the packs (from `plugin_dirs` when not empty, else the
// config's plugin_dirs, else plugins::default_plugin_dirs()), logs the ones
// that failed to load, and resolves the config against the rest.
// Throws config::ConfigError ("FILE:LINE:COLUMN: message").
Setup load_setup(const std::filesystem::path& file,
                 const std::vector<std::filesystem::path>& plugin_dirs = {});

// How the engine gets a new Setup on reload (e.g. a bound load_setup).
using SetupLoader = std::function<Setup()>;

}  // namespace opr::engine
