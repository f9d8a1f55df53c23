#include "config/notify_reading.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>

#include "config/raw_config.h"
#include "config/suggestion.h"
#include "config/value_reading.h"

namespace opr::config {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& reserved_labels() {
  static const std::vector<std::string> names = {"alertname", "target", "subject",
                                                 "severity",  "pack",   "ticket_id"};
  return names;
}

bool is_label_name(const std::string& name) {
  static const std::regex pattern("[A-Za-z_][A-Za-z0-9_]*");
  return std::regex_match(name, pattern);
}

// A value, or a non-empty list of values: the scalar nodes, each to be
// read by the caller.
std::vector<const YamlNode*> one_or_more(const YamlNode& node, const std::string& what) {
  if (node.is_scalar()) return {&node};
  if (!node.is_sequence() || node.items.empty()) {
    fail(node.mark,
         what + " must be one value or a list of values, got " +
             (node.is_sequence() ? std::string("an empty list") : std::string(kind_name(node))));
  }
  std::vector<const YamlNode*> items;
  for (const auto& item : node.items) items.push_back(&item);
  return items;
}

ReceiverMatch read_match(const YamlNode& node, const std::string& where) {
  const std::string in = "'match' of " + where;
  require_map(node, in);
  check_keys(node, {"severity", "target", "check", "labels"}, "in " + in);
  ReceiverMatch match;
  if (const auto* v = node.find("severity")) {
    for (const YamlNode* item : one_or_more(*v, "'severity' in " + in)) {
      match.severities.push_back(read_severity(*item, "'severity' in " + in));
    }
  }
  if (const auto* v = node.find("target")) {
    for (const YamlNode* item : one_or_more(*v, "'target' in " + in)) {
      match.targets.push_back(read_string(*item, "each 'target' in " + in));
      match.target_marks.push_back(item->mark);
    }
  }
  if (const auto* v = node.find("check")) {
    for (const YamlNode* item : one_or_more(*v, "'check' in " + in)) {
      match.checks.push_back(read_string(*item, "each 'check' in " + in));
      match.check_marks.push_back(item->mark);
    }
  }
  if (const auto* v = node.find("labels")) {
    // Matchers may name any label the checks carry, but never one of
    // operator's own: those have matchers of their own (severity, ...).
    match.labels = read_labels(*v, "labels", in);
  }
  return match;
}

RetryConfig read_retry(const YamlNode& node, const std::string& where) {
  const std::string in = "'retry' of " + where;
  require_map(node, in);
  check_keys(node, {"initial_backoff", "max_backoff", "give_up_after"}, "in " + in);
  RetryConfig retry;
  if (const auto* v = node.find("initial_backoff")) {
    retry.initial_backoff = read_duration(*v, "'initial_backoff' in " + in, false);
  }
  if (const auto* v = node.find("max_backoff")) {
    retry.max_backoff = read_duration(*v, "'max_backoff' in " + in, false);
    if (retry.max_backoff < retry.initial_backoff) {
      fail(v->mark, "'max_backoff' in " + in + " must be at least 'initial_backoff'");
    }
  } else if (retry.max_backoff < retry.initial_backoff) {
    retry.max_backoff = retry.initial_backoff;
  }
  if (const auto* v = node.find("give_up_after")) {
    retry.give_up_after = read_duration(*v, "'give_up_after' in " + in, false);
  }
  return retry;
}

std::string read_url(const YamlNode& node, const std::string& what) {
  const std::string& url = read_string(node, what);
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    fail(node.mark, what + " must be an http:// or https:// URL, got '" + url + "'");
  }
  return url;
}

// A file the receiver reads at each delivery: readable now, or the config
// is refused.
fs::path read_file_path(const YamlNode& node, const std::string& what, const fs::path& base) {
  const std::string& text = read_string(node, what);
  if (text.empty()) fail(node.mark, what + " is empty");
  fs::path path(text);
  if (path.is_relative()) path = (base / path).lexically_normal();
  std::error_code error;
  if (!fs::is_regular_file(path, error) || !std::ifstream(path).good()) {
    fail(node.mark, what + ": cannot read " + path.string());
  }
  return path;
}

// The keys of a receiver of `type`, and the ones every receiver has.
std::vector<std::string> receiver_keys(ReceiverType type) {
  std::vector<std::string> keys = {"name", "type", "match", "repeat_interval", "retry", "timeout"};
  switch (type) {
    case ReceiverType::webhook:
      keys.insert(keys.end(), {"url", "headers", "bearer_token_file", "secret_file"});
      break;
    case ReceiverType::alertmanager:
      keys.insert(keys.end(), {"urls", "resend_interval"});
      break;
    case ReceiverType::command:
      keys.emplace_back("command");
      break;
    case ReceiverType::diagnose:
      // Run once per ticket: no repeats, no retries.
      return {"name", "match", "timeout", "command", "max_output_kb"};
  }
  return keys;
}

const YamlNode& required(const YamlNode& node, const std::string& key, const std::string& where) {
  const YamlNode* value = node.find(key);
  if (value == nullptr) fail(node.mark, where + " needs '" + key + "'");
  return *value;
}

void read_type_settings(const YamlNode& node, const std::string& where, const fs::path& base,
                        ReceiverConfig& receiver) {
  switch (receiver.type) {
    case ReceiverType::webhook: {
      receiver.urls.push_back(read_url(required(node, "url", where), "'url' of " + where));
      if (const auto* v = node.find("headers")) {
        require_map(*v, "'headers' of " + where);
        static const std::regex token("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
        for (size_t i = 0; i < v->keys.size(); ++i) {
          if (!std::regex_match(v->keys[i], token)) {
            fail(v->key_marks[i], "bad header name '" + v->keys[i] + "' in " + where);
          }
          receiver.headers.emplace_back(
              v->keys[i], read_string(v->items[i], "header '" + v->keys[i] + "' of " + where));
        }
      }
      if (const auto* v = node.find("bearer_token_file")) {
        receiver.bearer_token_file = read_file_path(*v, "'bearer_token_file' of " + where, base);
      }
      if (const auto* v = node.find("secret_file")) {
        receiver.secret_file = read_file_path(*v, "'secret_file' of " + where, base);
      }
      break;
    }
    case ReceiverType::alertmanager: {
      const YamlNode& urls = required(node, "urls", where);
      for (const YamlNode* item : one_or_more(urls, "'urls' of " + where)) {
        receiver.urls.push_back(read_url(*item, "each of 'urls' of " + where));
      }
      if (const auto* v = node.find("resend_interval")) {
        receiver.resend_interval = read_duration(*v, "'resend_interval' of " + where, false);
      }
      break;
    }
    case ReceiverType::command:
    case ReceiverType::diagnose: {
      const YamlNode& command = required(node, "command", where);
      if (!command.is_sequence() || command.items.empty()) {
        fail(command.mark,
             "'command' of " + where + " must be a list: the program and its arguments (no shell)");
      }
      for (const auto& item : command.items) {
        receiver.command.push_back(read_string(item, "each item of 'command' of " + where));
      }
      if (receiver.command.front().empty()) {
        fail(command.items.front().mark, "the program of " + where + " is empty");
      }
      break;
    }
  }
}

// A receiver's or hook's mapping and its name; `what` is "receiver" or
// "diagnosis hook".
ReceiverConfig read_named(const YamlNode& node, const std::string& what,
                          const std::string& expected) {
  if (!node.is_map()) {
    fail(node.mark, "a " + what + " must be a mapping with " + expected + ", got " +
                        std::string(kind_name(node)));
  }
  ReceiverConfig receiver;
  receiver.mark = node.mark;
  receiver.name = read_string(required(node, "name", "a " + what), "'name' of a " + what);
  static const std::regex name_pattern("[A-Za-z0-9_.-]+");
  if (!std::regex_match(receiver.name, name_pattern)) {
    fail(node.find("name")->mark, "bad " + what + " name '" + receiver.name +
                                      "': use letters, digits, '_', '.' and '-' only");
  }
  return receiver;
}

ReceiverConfig read_hook(const YamlNode& node, const fs::path& base) {
  ReceiverConfig hook = read_named(node, "diagnosis hook", "'name' and 'command'");
  hook.type = ReceiverType::diagnose;
  const std::string where = "diagnosis hook '" + hook.name + "'";
  check_keys(node, receiver_keys(hook.type), "in " + where);
  if (const auto* v = node.find("match")) hook.match = read_match(*v, where);
  hook.timeout = std::chrono::seconds(60);
  if (const auto* v = node.find("timeout")) {
    hook.timeout = read_duration(*v, "'timeout' of " + where, false);
  }
  if (const auto* v = node.find("max_output_kb")) {
    hook.max_output =
        static_cast<size_t>(read_int(*v, "'max_output_kb' of " + where, 1, 1024)) * 1024;
  }
  // One attempt: a hook that failed is recorded on the ticket, not rerun.
  hook.retry.give_up_after = std::chrono::milliseconds(0);
  read_type_settings(node, where, base, hook);
  return hook;
}

ReceiverConfig read_receiver(const YamlNode& node, const fs::path& base) {
  ReceiverConfig receiver = read_named(node, "receiver", "'name' and 'type'");
  const std::string where = "receiver '" + receiver.name + "'";
  const std::string type = read_choice(required(node, "type", where), "'type' of " + where,
                                       {"alertmanager", "webhook", "command"});
  receiver.type = type == "alertmanager" ? ReceiverType::alertmanager
                  : type == "webhook"    ? ReceiverType::webhook
                                         : ReceiverType::command;
  check_keys(node, receiver_keys(receiver.type), "in " + where + " (type " + type + ")");
  if (const auto* v = node.find("match")) receiver.match = read_match(*v, where);
  if (const auto* v = node.find("repeat_interval")) {
    receiver.repeat_interval = read_duration(*v, "'repeat_interval' of " + where, true);
  }
  if (const auto* v = node.find("retry")) receiver.retry = read_retry(*v, where);
  if (const auto* v = node.find("timeout")) {
    receiver.timeout = read_duration(*v, "'timeout' of " + where, false);
  }
  read_type_settings(node, where, base, receiver);
  return receiver;
}

}  // namespace

std::string_view to_string(ReceiverType type) {
  switch (type) {
    case ReceiverType::alertmanager:
      return "alertmanager";
    case ReceiverType::webhook:
      return "webhook";
    case ReceiverType::command:
      return "command";
    case ReceiverType::diagnose:
      return "diagnose";
  }
  return "webhook";
}

std::string ReceiverConfig::outbox_name() const {
  return type == ReceiverType::diagnose ? "hook:" + name : name;
}

LabelMap read_labels(const YamlNode& node, const std::string& key, const std::string& where) {
  const std::string what = "'" + key + "' in " + where;
  require_map(node, what);
  LabelMap labels;
  for (size_t i = 0; i < node.keys.size(); ++i) {
    const std::string& name = node.keys[i];
    if (!is_label_name(name)) {
      fail(node.key_marks[i], "bad name '" + name + "' in " + what +
                                  ": use letters, digits and '_', not starting with a digit");
    }
    const auto& reserved = reserved_labels();
    if (key == "labels" && std::find(reserved.begin(), reserved.end(), name) != reserved.end()) {
      fail(node.key_marks[i], "'" + name + "' in " + what +
                                  " is set by operator itself; its own labels are " +
                                  join_names(reserved));
    }
    labels[name] = read_string(node.items[i], "'" + name + "' in " + what);
  }
  return labels;
}

const std::vector<std::string>& label_keys() {
  static const std::vector<std::string> keys = {"labels", "annotations"};
  return keys;
}

void read_label_sections(const YamlNode& section, const std::string& where, LabelMap& labels,
                         LabelMap& annotations) {
  if (const auto* v = section.find("labels")) {
    for (auto& [name, value] : read_labels(*v, "labels", where)) labels[name] = value;
  }
  if (const auto* v = section.find("annotations")) {
    for (auto& [name, value] : read_labels(*v, "annotations", where)) annotations[name] = value;
  }
}

namespace {

// A list of named entries (`key` of the file), each read by `read`.
template <typename Read>
std::vector<ReceiverConfig> read_named_list(const YamlNode& node, const std::string& key,
                                            const std::string& what, Read read) {
  std::vector<ReceiverConfig> entries;
  if (node.is_null()) return entries;
  if (!node.is_sequence()) {
    fail(node.mark, "'" + key + "' must be a list of " + what + "s (each '- name: ...'), got " +
                        std::string(kind_name(node)));
  }
  std::map<std::string, int> seen;
  for (const auto& item : node.items) {
    ReceiverConfig entry = read(item);
    if (const auto it = seen.find(entry.name); it != seen.end()) {
      fail(item.find("name")->mark, "duplicate " + what + " name '" + entry.name +
                                        "' (first at line " + std::to_string(it->second) + ")");
    }
    seen.emplace(entry.name, item.find("name")->mark.line);
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace

std::vector<ReceiverConfig> read_receivers(const YamlNode& node, const fs::path& base) {
  return read_named_list(node, "notify", "receiver",
                         [&](const YamlNode& item) { return read_receiver(item, base); });
}

std::vector<ReceiverConfig> read_hooks(const YamlNode& node, const fs::path& base) {
  return read_named_list(node, "diagnose", "diagnosis hook",
                         [&](const YamlNode& item) { return read_hook(item, base); });
}

std::vector<TargetConfig> label_targets(const RawConfig& raw) {
  std::vector<TargetConfig> targets;
  const Defaults& defaults = raw.settings.defaults;
  for (const auto& node : raw.targets.items) {
    // read_config checked that each target is a mapping with a name and a pack.
    TargetConfig target;
    target.name = node.find("name")->text;
    target.pack = node.find("pack")->text;
    target.mark = node.mark;
    const std::string where = "target '" + target.name + "'";
    target.labels = defaults.labels;
    target.annotations = defaults.annotations;
    read_label_sections(node, where, target.labels, target.annotations);
    if (const YamlNode* checks = node.find("checks"); checks != nullptr && checks->is_map()) {
      for (size_t i = 0; i < checks->keys.size(); ++i) {
        CheckConfig check;
        check.name = checks->keys[i];
        check.labels = target.labels;
        check.annotations = target.annotations;
        if (checks->items[i].is_map()) {
          read_label_sections(checks->items[i], "check '" + check.name + "' of " + where,
                              check.labels, check.annotations);
        }
        target.checks.push_back(std::move(check));
      }
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

void check_receiver_matches(const Config& config) {
  std::vector<std::string> targets, checks;
  for (const auto& target : config.targets) {
    targets.push_back(target.name);
    for (const auto& check : target.checks) {
      if (std::find(checks.begin(), checks.end(), check.name) == checks.end()) {
        checks.push_back(check.name);
      }
    }
  }
  for (const auto& receiver : config.receivers) {
    const std::string where =
        "'match' of " +
        std::string(receiver.type == ReceiverType::diagnose ? "diagnosis hook '" : "receiver '") +
        receiver.name + "'";
    for (size_t i = 0; i < receiver.match.targets.size(); ++i) {
      const std::string& name = receiver.match.targets[i];
      if (std::find(targets.begin(), targets.end(), name) == targets.end()) {
        fail(receiver.match.target_marks[i],
             "unknown target '" + name + "' in " + where + did_you_mean(name, targets));
      }
    }
    for (size_t i = 0; i < receiver.match.checks.size(); ++i) {
      std::string name = receiver.match.checks[i];
      // A check's :failed ticket is matched by "latency:failed" or "latency".
      const size_t failed = name.rfind(":failed");
      if (failed != std::string::npos && failed + 7 == name.size()) name.resize(failed);
      if (std::find(checks.begin(), checks.end(), name) == checks.end()) {
        fail(receiver.match.check_marks[i], "unknown check '" + receiver.match.checks[i] + "' in " +
                                                where + did_you_mean(name, checks));
      }
    }
  }
}

}  // namespace opr::config
