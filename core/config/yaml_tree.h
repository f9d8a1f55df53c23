// A YAML document as plain values with their positions, ${VAR} already
// substituted, so the rest of the config code never touches yaml-cpp.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace opr::config {

struct YamlNode {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  Mark mark;
  std::string text;               // scalar, after substitution
  std::vector<YamlNode> items;    // sequence items, or map values
  std::vector<std::string> keys;  // map keys, parallel to items
  std::vector<Mark> key_marks;

  bool is_null() const { return kind == Kind::null; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_map() const { return kind == Kind::map; }
  // The value of `key` in a map, or nullptr.
  const YamlNode* find(std::string_view key) const;
};

// "a mapping", "a list", "a value" or "nothing", for error messages.
std::string_view kind_name(const YamlNode& node);

// How large a config may be. Past any limit the file is refused with a
// ConfigError before it is expanded into YamlNodes, so a hostile or broken
// file (a "billion laughs" of nested aliases, an alias cycle, thousands of
// nested brackets) costs no more memory and time than its own size.
// docs/configuration.md ("Limits") lists them with their errors.
struct YamlLimits {
  size_t max_bytes = size_t{1} << 20;       // the file itself: 1 MiB
  int max_depth = 64;                       // mappings and lists inside each other
  size_t max_nodes = 100'000;               // keys, values and items, aliases expanded
  size_t max_text_bytes = size_t{4} << 20;  // all scalars' bytes, aliases expanded
};

// Reads and parses `file`. Throws ConfigError for an unreadable file, a file
// or document past `limits`, an alias cycle, a YAML syntax error, a map key
// that is not a scalar, a key given twice and an environment reference that
// cannot be substituted. Reads no more than limits.max_bytes + 1 bytes.
YamlNode parse_yaml_file(const std::filesystem::path& file, const YamlLimits& limits = {});
// The same for text already in memory; `file` only names it in marks.
YamlNode parse_yaml_text(const std::string& text, const std::string& file,
                         const YamlLimits& limits = {});

}  // namespace opr::config
