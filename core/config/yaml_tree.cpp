#include "config/yaml_tree.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "config/env_substitution.h"

namespace opr::config {
namespace {

Mark to_mark(const YAML::Mark& mark, const std::string& file, const Mark& fallback) {
  if (mark.is_null() || mark.line < 0) return fallback;
  return Mark{file, mark.line + 1, mark.column + 1};
}

YamlNode convert(const YAML::Node& node, const std::string& file, const Mark& fallback) {
  YamlNode out;
  out.mark = to_mark(node.Mark(), file, fallback);
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
      for (const auto& entry : node) {
        const Mark key_mark = to_mark(entry.first.Mark(), file, out.mark);
        if (!entry.first.IsScalar()) {
          throw ConfigError(key_mark,
                            "a key must be a plain word, not " +
                                std::string(entry.first.IsMap() ? "a mapping" : "a list or null"));
        }
        const std::string key = entry.first.Scalar();
        for (size_t i = 0; i < out.keys.size(); ++i) {
          if (out.keys[i] == key) {
            throw ConfigError(key_mark, "key '" + key + "' is given twice (first at line " +
                                            std::to_string(out.key_marks[i].line) + ")");
          }
        }
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

YamlNode parse_yaml_text(const std::string& text, const std::string& file) {
  const Mark start{file, 1, 1};
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(to_mark(e.mark, file, start), "YAML syntax error: " + e.msg);
  } catch (const YAML::Exception& e) {
    throw ConfigError(to_mark(e.mark, file, start), "YAML error: " + e.msg);
  }
  return convert(root, file, start);
}

YamlNode parse_yaml_file(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in || std::filesystem::is_directory(file)) {
    throw ConfigError(
        Mark{name, 1, 1},
        "cannot read the config file (" +
            std::string(std::filesystem::exists(file) ? "not a readable file" : "no such file") +
            ")");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_yaml_text(buffer.str(), name);
}

}  // namespace opr::config
