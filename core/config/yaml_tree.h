// A YAML document as plain values with their positions, ${VAR} already
// substituted, so the rest of the config code never touches yaml-cpp.
#pragma once

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

// Reads and parses `file`. Throws ConfigError for an unreadable file, a YAML
// syntax error, a map key that is not a scalar, a key given twice and an
// environment reference that cannot be substituted.
YamlNode parse_yaml_file(const std::filesystem::path& file);
// The same for text already in memory; `file` only names it in marks.
YamlNode parse_yaml_text(const std::string& text, const std::string& file);

}  // namespace opr::config
