#include "config/yaml_tree.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <stdexcept>
#include <unordered_map>

#include "config/env_substitution.h"
#include "config/yaml_limits.h"

namespace opr::config {
namespace {

YamlNode convert(const YAML::Node& node, const std::string& file, const Mark& fallback) {
  YamlNode out;
  out.mark = yaml_mark(node.Mark(), file, fallback);
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      out.kind = YamlNode::Kind::null;
      break;
    case YAML::NodeType::Scalar:
      out.kind = YamlNode::Kind::scalar;
      try {
        out.text = substitute_env(node.Scalar());
      } catch (const std::invalid_argument& e) {
        throw ConfigError(out.mark, e.what());
      }
      break;
    case YAML::NodeType::Sequence:
      out.kind = YamlNode::Kind::sequence;
      for (const auto& item : node) out.items.push_back(convert(item, file, out.mark));
      break;
    case YAML::NodeType::Map:
      out.kind = YamlNode::Kind::map;
      std::unordered_map<std::string, size_t> seen;  // key -> its index
      for (const auto& entry : node) {
        const Mark key_mark = yaml_mark(entry.first.Mark(), file, out.mark);
        if (!entry.first.IsScalar()) {
          throw ConfigError(key_mark,
                            "a key must be a plain word, not " +
                                std::string(entry.first.IsMap() ? "a mapping" : "a list or null"));
        }
        const std::string key = entry.first.Scalar();
        if (const auto first = seen.find(key); first != seen.end()) {
          throw ConfigError(key_mark, "key '" + key + "' is given twice (first at line " +
                                          std::to_string(out.key_marks[first->second].line) + ")");
        }
        seen.emplace(key, out.keys.size());
        out.keys.push_back(key);
        out.key_marks.push_back(key_mark);
        out.items.push_back(convert(entry.second, file, key_mark));
        // yaml-cpp places an empty value (`latency:`) at the next token, which
        // may be lines below; the key is where the user looks.
        YamlNode& value = out.items.back();
        if (value.is_null() && value.mark.line != key_mark.line) value.mark = key_mark;
      }
      break;
  }
  return out;
}

}  // namespace

const YamlNode* YamlNode::find(std::string_view key) const {
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return &items[i];
  }
  return nullptr;
}

std::string_view kind_name(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::null:
      return "nothing";
    case YamlNode::Kind::scalar:
      return "a value";
    case YamlNode::Kind::sequence:
      return "a list";
    case YamlNode::Kind::map:
      return "a mapping";
  }
  return "nothing";
}

YamlNode parse_yaml_text(const std::string& text, const std::string& file,
                         const YamlLimits& limits) {
  return convert(load_bounded_yaml(text, file, limits), file, Mark{file, 1, 1});
}

YamlNode parse_yaml_file(const std::filesystem::path& file, const YamlLimits& limits) {
  const std::string name = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in || std::filesystem::is_directory(file)) {
    throw ConfigError(
        Mark{name, 1, 1},
        "cannot read the config file (" +
            std::string(std::filesystem::exists(file) ? "not a readable file" : "no such file") +
            ")");
  }
  // One byte past the limit is enough to refuse: a huge file (or
  // /dev/zero) is never read whole.
  std::string text(limits.max_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw ConfigError(Mark{name, 1, 1}, "cannot read the config file (read error)");
  text.resize(static_cast<size_t>(in.gcount()));
  return parse_yaml_text(text, name, limits);
}

}  // namespace opr::config
