// How `operator-host plugins list` shows packs: indented text for people
// (what packs wrote escaped as common/terminal_text.h says), JSON for
// scripts. Neither shows the default of a secret-named parameter
// (is_secret_name): it reads "***".
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "plugins/pack_loader.h"

namespace opr::cli {

std::string format_packs_text(const std::vector<plugins::LoadedPack>& packs);

// {"packs": [{"file", "loaded", "error" | "name", "version", "abi",
//   "description", "params", "checks"}], "failed": N}; each parameter:
//   {"name", "type", "default", "secret", "required", "doc", "min",
//   "min_exclusive", "max", "max_exclusive"}
nlohmann::json packs_to_json(const std::vector<plugins::LoadedPack>& packs);

}  // namespace opr::cli
