// What read_config hands to resolve_config: the top-level settings, already
// typed, and the targets still as YAML (they need the packs).
#pragma once

#include "config/config.h"
#include "config/yaml_tree.h"

namespace opr::config {

struct RawConfig {
  Config settings;   // everything but `targets`
  YamlNode targets;  // a list of mappings (each with a valid name and pack), or null
};

}  // namespace opr::config
