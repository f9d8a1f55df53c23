#include "config/yaml_limits.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/node/parse.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace opr::config {
namespace {

// "4 MiB" for a whole number of MiB, else the bytes.
std::string describe_bytes(size_t bytes) {
  constexpr size_t kMiB = size_t{1} << 20;
  if (bytes >= kMiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  return std::to_string(bytes) + " bytes";
}

// Follows the events of one document and throws ConfigError as soon as the
// document, aliases expanded, passes a limit. Containers are counted as
// they open, so the deepest one is refused before yaml-cpp recurses into it.
class LimitCheck : public YAML::EventHandler {
 public:
  LimitCheck(const std::string& file, const YamlLimits& limits) : file_(file), limits_(limits) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnAnchor(const YAML::Mark&, const std::string& name) override { anchor_name_ = name; }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor, 0); }

  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    leaf(mark, anchor, value.size());
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

  // The innermost mapping or list open now, or `fallback`.
  Mark innermost(const Mark& fallback) const {
    return open_.empty() ? fallback : open_.back().mark;
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto named = anchor_names_.find(anchor);
    const std::string name = "*" + (named == anchor_names_.end() ? std::string() : named->second);
    for (const Open& container : open_) {
      if (container.anchor == anchor) {
        fail(mark, "alias " + name + " is inside the node it names (anchored at line " +
                       std::to_string(container.mark.line) + ", column " +
                       std::to_string(container.mark.column) +
                       "): an alias cycle, which would expand forever");
      }
    }
    const auto found = anchored_.find(anchor);
    if (found == anchored_.end()) return;  // yaml-cpp refuses an unknown anchor itself
    const Size& size = found->second;
    const int depth = static_cast<int>(open_.size()) + size.height;
    if (depth > limits_.max_depth) {
      fail(mark, "alias " + name + " nests mappings and lists deeper than " +
                     std::to_string(limits_.max_depth) + " levels here");
    }
    if (!open_.empty()) open_.back().deepest = std::max(open_.back().deepest, depth);
    add(mark, size.nodes, size.text_bytes, name);
  }

 private:
  // What one anchored node adds wherever an alias names it.
  struct Size {
    size_t nodes = 0;
    size_t text_bytes = 0;
    int height = 0;  // containers nested in it, itself included (0 for a scalar)
  };
  // A mapping or list whose end has not been read yet.
  struct Open {
    YAML::anchor_t anchor = 0;
    Mark mark;
    size_t nodes_before = 0;  // nodes_ and text_bytes_ when it opened
    size_t text_before = 0;
    int deepest = 0;  // the deepest level reached inside it so far (its own, at least)
  };

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) const {
    throw ConfigError(yaml_mark(mark, file_, Mark{file_, 1, 1}), message);
  }

  void name_anchor(YAML::anchor_t anchor) {
    if (anchor == YAML::NullAnchor) return;
    anchor_names_[anchor] = anchor_name_;
    anchor_name_.clear();
  }

  // Counts what a node (or an alias, `alias` its name) adds to the document.
  void add(const YAML::Mark& mark, size_t nodes, size_t text_bytes, const std::string& alias) {
    nodes_ += nodes;
    text_bytes_ += text_bytes;
    const bool too_many = nodes_ > limits_.max_nodes;
    if (!too_many && text_bytes_ <= limits_.max_text_bytes) return;
    const std::string limit = too_many ? std::to_string(limits_.max_nodes) + " nodes"
                                       : describe_bytes(limits_.max_text_bytes) + " of text";
    if (alias.empty()) {
      fail(mark, "the config has more than " + limit +
                     (too_many ? " (keys, values and list items)" : " in its values"));
    }
    fail(mark, "alias " + alias + " would expand the config past " + limit +
                   " (each alias counts as a copy of the node it names, and aliases of "
                   "aliases multiply); refused before expanding it");
  }

  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor, size_t text_bytes) {
    name_anchor(anchor);
    add(mark, 1, text_bytes, "");
    if (anchor != YAML::NullAnchor) anchored_[anchor] = Size{1, text_bytes, 0};
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    name_anchor(anchor);
    const int depth = static_cast<int>(open_.size()) + 1;
    if (depth > limits_.max_depth) {
      fail(mark, "mappings and lists are nested deeper than " + std::to_string(limits_.max_depth) +
                     " levels here");
    }
    add(mark, 1, 0, "");
    open_.push_back(
        Open{anchor, yaml_mark(mark, file_, Mark{file_, 1, 1}), nodes_ - 1, text_bytes_, depth});
  }

  void close() {
    if (open_.empty()) return;
    const Open done = open_.back();
    open_.pop_back();
    if (done.anchor != YAML::NullAnchor) {
      const int height = done.deepest - static_cast<int>(open_.size());
      anchored_[done.anchor] =
          Size{nodes_ - done.nodes_before, text_bytes_ - done.text_before, height};
    }
    if (!open_.empty()) open_.back().deepest = std::max(open_.back().deepest, done.deepest);
  }

  const std::string& file_;
  const YamlLimits& limits_;
  std::vector<Open> open_;
  std::unordered_map<YAML::anchor_t, Size> anchored_;  // complete anchored nodes
  std::unordered_map<YAML::anchor_t, std::string> anchor_names_;
  std::string anchor_name_;  // from OnAnchor, for the node event that follows
  size_t nodes_ = 0;         // so far, aliases expanded
  size_t text_bytes_ = 0;
};

}  // namespace

Mark yaml_mark(const YAML::Mark& mark, const std::string& file, const Mark& fallback) {
  if (mark.is_null() || mark.line < 0) return fallback;
  return Mark{file, mark.line + 1, mark.column + 1};
}

YAML::Node load_bounded_yaml(const std::string& text, const std::string& file,
                             const YamlLimits& limits) {
  if (text.size() > limits.max_bytes) {
    // Line 0: the file as a whole ("FILE: message").
    throw ConfigError(Mark{file, 0, 0}, "the config file is larger than " +
                                            describe_bytes(limits.max_bytes) +
                                            ", the most operator reads");
  }
  const Mark start{file, 1, 1};
  LimitCheck check(file, limits);
  try {
    {
      std::istringstream in(text);
      YAML::Parser parser(in);
      parser.HandleNextDocument(check);
    }
    return YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own guard (about 500 levels): the check above refuses
    // nesting past limits.max_depth first, unless the limits allow more.
    // yaml-cpp's mark is not where it stopped; the innermost list is.
    throw ConfigError(check.innermost(yaml_mark(e.mark, file, start)),
                      "mappings and lists are nested deeper than the YAML reader allows "
                      "here (" +
                          std::to_string(e.depth()) + " levels)");
  } catch (const YAML::ParserException& e) {
    throw ConfigError(yaml_mark(e.mark, file, start), "YAML syntax error: " + e.msg);
  } catch (const YAML::Exception& e) {
    throw ConfigError(yaml_mark(e.mark, file, start), "YAML error: " + e.msg);
  }
}

}  // namespace opr::config
