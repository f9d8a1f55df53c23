// yaml-cpp, bounded: a config is measured on the parser's event stream
// before any node is built or any alias expanded.
#pragma once

#include <yaml-cpp/mark.h>
#include <yaml-cpp/node/node.h>

#include <string>

#include "config/yaml_tree.h"

namespace opr::config {

// The first YAML document of `text` as yaml-cpp's node graph, in which an
// alias is the very node it names (nothing is expanded yet). Throws
// ConfigError for a text longer than limits.max_bytes ("FILE: ..."), and,
// at the line and column in `file` of the offending node or alias, for a
// YAML syntax error and for a document that, with every alias expanded, would nest mappings and
// lists deeper than limits.max_depth, hold more than limits.max_nodes nodes or more than
// limits.max_text_bytes bytes of scalars, or that has an alias naming a
// node it is inside of (a cycle, which expands forever).
//
// The measure is taken on the events first: each anchored node's expanded
// size is known when its last event is read and is added at each alias to
// it, so the check takes time in proportion to the text, not to the
// expansion.
// yaml-cpp's 0-based position as a Mark in `file`; `fallback` when yaml-cpp
// has none.
Mark yaml_mark(const YAML::Mark& mark, const std::string& file, const Mark& fallback);

YAML::Node load_bounded_yaml(const std::string& text, const std::string& file,
                             const YamlLimits& limits);

}  // namespace opr::config
