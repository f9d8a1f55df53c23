#include "config/value_reading.h"

#include <cmath>
#include <limits>

#include "common/duration.h"
#include "config/suggestion.h"

namespace opr::config {
namespace {

std::string quoted(const std::string& text) { return "'" + text + "'"; }

// How a message shows what was written: quoted, or only "a value" when it
// is a secret's (see is_secret_param).
std::string shown(const std::string& text, bool secret) {
  return secret ? "a value" : quoted(text);
}

bool all_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

const std::string& scalar_for(const YamlNode& node, std::string_view what,
                              std::string_view expected) {
  if (!node.is_scalar()) {
    fail(node.mark, std::string(what) + " must be " + std::string(expected) + ", got " +
                        std::string(kind_name(node)));
  }
  return node.text;
}

}  // namespace

void fail(const Mark& mark, const std::string& message) { throw ConfigError(mark, message); }

void check_keys(const YamlNode& map, const std::vector<std::string>& allowed,
                std::string_view where) {
  for (size_t i = 0; i < map.keys.size(); ++i) {
    const std::string& key = map.keys[i];
    bool known = false;
    for (const auto& name : allowed) known = known || name == key;
    if (known) continue;
    std::string hint = did_you_mean(key, allowed);
    if (hint.empty()) hint = "; known keys: " + join_names(allowed);
    fail(map.key_marks[i], "unknown key '" + key + "' " + std::string(where) + hint);
  }
}

void require_map(const YamlNode& node, std::string_view what) {
  if (!node.is_map() && !node.is_null()) {
    fail(node.mark,
         std::string(what) + " must be a mapping of keys, got " + std::string(kind_name(node)));
  }
}

const std::string& read_string(const YamlNode& node, std::string_view what) {
  return scalar_for(node, what, "a string");
}

std::chrono::milliseconds read_duration(const YamlNode& node, std::string_view what,
                                        bool allow_zero, bool secret) {
  const std::string& text = scalar_for(node, what, "a duration such as 30s");
  const auto duration = parse_duration(text);
  if (!duration) {
    const std::string bad =
        "bad duration " + (secret ? "" : quoted(text) + " ") + "for " + std::string(what) + ": ";
    if (all_digits(text)) {
      fail(node.mark, bad + "a duration needs a unit" +
                          (secret ? " (ms, s, m or h)" : "; write " + text + "s"));
    }
    fail(node.mark, bad + "write a number and a unit (ms, s, m or h), e.g. 250ms, 30s, 5m, 1h");
  }
  if (!allow_zero && duration->count() <= 0) {
    fail(node.mark, std::string(what) + " must be greater than 0, got " + shown(text, secret));
  }
  return *duration;
}

int64_t read_int(const YamlNode& node, std::string_view what, int64_t min, int64_t max) {
  const std::string& text = scalar_for(node, what, "a whole number");
  const auto value = parse_param_text(OP_PARAM_INT, text);
  if (!value) fail(node.mark, std::string(what) + " must be a whole number, got " + quoted(text));
  const int64_t number = std::get<int64_t>(*value);
  if (number < min || number > max) {
    std::string range = max >= std::numeric_limits<int>::max()
                            ? "at least " + std::to_string(min)
                            : "between " + std::to_string(min) + " and " + std::to_string(max);
    fail(node.mark, std::string(what) + " must be " + range + ", got " + text);
  }
  return number;
}

bool read_bool(const YamlNode& node, std::string_view what, bool secret) {
  const std::string& text = scalar_for(node, what, "true or false");
  if (text == "true") return true;
  if (text == "false") return false;
  fail(node.mark, std::string(what) + " must be true or false, got " + shown(text, secret));
}

Severity read_severity(const YamlNode& node, std::string_view what) {
  const std::string& text = scalar_for(node, what, "a severity");
  const auto severity = parse_severity(text);
  if (!severity) {
    fail(node.mark, "bad severity '" + text + "' for " + std::string(what) +
                        ": use info, warning or critical");
  }
  return *severity;
}

std::string read_choice(const YamlNode& node, std::string_view what,
                        const std::vector<std::string>& choices) {
  const std::string& text = scalar_for(node, what, "one of " + join_names(choices));
  for (const auto& choice : choices) {
    if (text == choice) return text;
  }
  fail(node.mark, "bad value '" + text + "' for " + std::string(what) + ": use one of " +
                      join_names(choices) + did_you_mean(text, choices));
}

std::string_view to_string(Isolation isolation) {
  return isolation == Isolation::in_process ? "in_process" : "process";
}

const std::vector<std::string>& isolation_keys() {
  static const std::vector<std::string> keys = {"isolation", "runner_memory_mb",
                                                "runner_open_files"};
  return keys;
}

void read_isolation(const YamlNode& section, const std::string& where, Isolation& isolation,
                    RunnerLimitsConfig& limits) {
  // Below these a runner cannot even start: the host's own libraries and
  // threads take that much address space, and its descriptors a few.
  constexpr int64_t kMinMemoryMb = 256;
  constexpr int64_t kMinOpenFiles = 16;
  constexpr int64_t kMax = int64_t{1} << 30;
  if (const auto* v = section.find("isolation")) {
    isolation = read_choice(*v, "'isolation' in " + where, {"process", "in_process"}) == "process"
                    ? Isolation::process
                    : Isolation::in_process;
  }
  const auto read_limit = [&](const char* key, int64_t min) -> std::optional<uint64_t> {
    const auto* v = section.find(key);
    if (v == nullptr) return std::nullopt;
    const std::string what = "'" + std::string(key) + "' in " + where;
    const int64_t value = read_int(*v, what, 0, kMax);
    if (value != 0 && value < min) {
      fail(v->mark,
           what + " must be 0 (no limit) or at least " + std::to_string(min) + ", got " + v->text);
    }
    return static_cast<uint64_t>(value);
  };
  if (auto memory = read_limit("runner_memory_mb", kMinMemoryMb)) limits.memory_mb = *memory;
  if (auto files = read_limit("runner_open_files", kMinOpenFiles)) limits.open_files = *files;
}

namespace {

ParamValue read_param_value(const YamlNode& node, int32_t type, const std::string& what,
                            bool secret) {
  switch (type) {
    case OP_PARAM_STRING:
      return read_string(node, what);
    case OP_PARAM_INT: {
      const std::string& text = scalar_for(node, what, "an int");
      auto value = parse_param_text(type, text);
      if (!value) fail(node.mark, what + " must be an int, got " + shown(text, secret));
      return *value;
    }
    case OP_PARAM_FLOAT: {
      const std::string& text = scalar_for(node, what, "a number");
      auto value = parse_param_text(type, text);
      if (!value || !std::isfinite(std::get<double>(*value))) {
        fail(node.mark, what + " must be a number, got " + shown(text, secret));
      }
      return *value;
    }
    case OP_PARAM_BOOL:
      return read_bool(node, what, secret);
    case OP_PARAM_DURATION:
      return read_duration(node, what, true, secret);
    case OP_PARAM_STRING_LIST: {
      if (!node.is_sequence()) {
        fail(node.mark,
             what + " must be a list such as [a, b], got " + std::string(kind_name(node)));
      }
      std::vector<std::string> items;
      for (const auto& item : node.items) {
        items.push_back(scalar_for(item, "each item of " + what, "a string"));
      }
      return items;
    }
    default:
      fail(node.mark, what + " has a type this host does not know (" + std::to_string(type) + ")");
  }
}

}  // namespace

ParamValue read_param(const YamlNode& node, const ParamDeclaration& def, std::string_view where) {
  // One rule for every type: a secret's value is never part of a message.
  const bool secret = is_secret_param(def.name);
  const std::string what = "'" + def.name + "' in " + std::string(where);
  ParamValue value = read_param_value(node, def.type, what, secret);
  if (auto outside = def.bounds.violation(value)) {
    fail(node.mark, what + " must be " + *outside + ", got " +
                        (secret ? "a value" : format_param_value(value)));
  }
  return value;
}

}  // namespace opr::config
