// Step 2: targets and checks against what the packs declare.
#include <algorithm>
#include <optional>

#include "config/config.h"
#include "config/notify_reading.h"
#include "config/raw_config.h"
#include "config/suggestion.h"
#include "config/value_reading.h"

namespace opr::config {
namespace {

using std::chrono::milliseconds;

// The keys the engine reads in a target's and a check's section.
const std::vector<std::string>& engine_keys() {
  static const std::vector<std::string> keys = {"enabled", "interval", "timeout",
                                                "grace",   "severity", "failed_severity"};
  return keys;
}

// Engine settings as written in one section; unset ones fall through.
struct EngineSettings {
  std::optional<bool> enabled;
  std::optional<milliseconds> interval;
  std::optional<milliseconds> timeout;
  std::optional<milliseconds> grace;
  std::optional<Severity> severity;
  std::optional<Severity> failed_severity;
};

EngineSettings read_engine_settings(const YamlNode& section, const std::string& where) {
  EngineSettings s;
  if (const auto* v = section.find("enabled")) s.enabled = read_bool(*v, "'enabled' in " + where);
  if (const auto* v = section.find("interval")) {
    s.interval = read_duration(*v, "'interval' in " + where, false);
  }
  if (const auto* v = section.find("timeout")) {
    s.timeout = read_duration(*v, "'timeout' in " + where, false);
  }
  if (const auto* v = section.find("grace")) {
    s.grace = read_duration(*v, "'grace' in " + where, true);
  }
  if (const auto* v = section.find("severity")) {
    s.severity = read_severity(*v, "'severity' in " + where);
  }
  if (const auto* v = section.find("failed_severity")) {
    s.failed_severity = read_severity(*v, "'failed_severity' in " + where);
  }
  return s;
}

std::vector<std::string> param_names(const std::vector<ParamDeclaration>& defs) {
  std::vector<std::string> names;
  for (const auto& def : defs) names.push_back(def.name);
  return names;
}

// A required string list written as [] sets nothing a check could use:
// plugin.h asks for at least one item, so it is refused where it is written.
void require_items(const YamlNode& node, const ParamDeclaration& def, const ParamValue& value,
                   const std::string& where, const std::string& pack) {
  const auto* list = std::get_if<std::vector<std::string>>(&value);
  if (!def.required || list == nullptr || !list->empty()) return;
  std::string message = "required parameter '" + def.name + "' (" +
                        std::string(param_type_name(def.type)) + ") in " + where +
                        " is empty: pack '" + pack + "' needs at least one item";
  if (!def.doc.empty()) message += " (" + def.doc + ")";
  fail(node.mark, message);
}

}  // namespace

ParamMap resolve_params(const YamlNode& section, const std::vector<ParamDeclaration>& defs,
                        const std::string& where, const std::string& pack, const Mark& mark,
                        bool enabled, std::map<std::string, Mark, std::less<>>* marks) {
  ParamMap params;
  for (const ParamDeclaration& def : defs) {
    const std::string& name = def.name;
    if (const YamlNode* node = section.find(name)) {
      ParamValue value = read_param(*node, def, where);
      if (enabled) require_items(*node, def, value, where, pack);
      params.emplace(name, std::move(value));
      if (marks != nullptr) marks->emplace(name, node->mark);
    } else if (def.default_value) {
      // The loader checked that the default parses and is inside the bounds.
      params.emplace(name, *parse_param_text(def.type, *def.default_value));
    } else if (def.required && enabled) {
      std::string message = "missing required parameter '" + name + "' (" +
                            std::string(param_type_name(def.type)) + ") in " + where;
      if (!def.doc.empty()) message += ": " + def.doc;
      fail(mark, message);
    }
  }
  return params;
}

namespace {

std::vector<std::string> check_names(const PackDeclaration& pack) {
  std::vector<std::string> names;
  for (const auto& check : pack.checks) names.push_back(check.name);
  return names;
}

std::string unknown_pack_message(const std::string& pack, const std::string& target,
                                 const PackCatalog& packs,
                                 const std::vector<std::string>& load_errors) {
  std::vector<std::string> loaded;
  for (const auto& [name, descriptor] : packs) loaded.push_back(name);
  std::string message = "unknown pack '" + pack + "' in target '" + target +
                        "' (loaded packs: " + join_names(loaded) + ")" + did_you_mean(pack, loaded);
  if (!load_errors.empty()) {
    message += "; " + std::to_string(load_errors.size()) + " pack file" +
               (load_errors.size() == 1 ? "" : "s") + " failed to load: ";
    for (size_t i = 0; i < load_errors.size(); ++i) {
      if (i > 0) message += "; ";
      message += load_errors[i];
    }
  }
  return message;
}

CheckConfig resolve_check(const CheckDeclaration& def, uint32_t index, const YamlNode* section,
                          const Mark& mark, const EngineSettings& target, const Defaults& defaults,
                          const TargetConfig& target_config) {
  const std::string& target_name = target_config.name;
  const std::string name = def.name;
  const std::string where = "check '" + name + "' of target '" + target_name + "'";
  static const YamlNode kEmpty;
  const YamlNode& node = section != nullptr ? *section : kEmpty;
  if (section != nullptr) {
    std::vector<std::string> allowed = engine_keys();
    allowed.insert(allowed.end(), label_keys().begin(), label_keys().end());
    for (auto& param : param_names(def.params)) allowed.push_back(param);
    check_keys(node, allowed, "in " + where);
  }
  const EngineSettings own = read_engine_settings(node, where);

  CheckConfig check;
  check.name = name;
  check.index = index;
  check.mark = mark;
  check.enabled = own.enabled.value_or(target.enabled.value_or(true));
  const milliseconds pack_interval = def.default_interval;
  check.interval = own.interval.value_or(
      target.interval.value_or(pack_interval.count() > 0 ? pack_interval : defaults.interval));
  check.timeout = own.timeout.value_or(target.timeout.value_or(defaults.timeout));
  check.grace = own.grace.value_or(target.grace.value_or(def.default_grace));
  check.severity = own.severity.value_or(target.severity.value_or(
      severity_from_abi(def.default_severity).value_or(Severity::warning)));
  check.failed_severity = own.failed_severity.value_or(
      target.failed_severity.value_or(defaults.failed_severity.value_or(check.severity)));
  check.params = resolve_params(node, def.params, where, target_config.pack, mark, check.enabled);
  check.labels = target_config.labels;
  check.annotations = target_config.annotations;
  read_label_sections(node, where, check.labels, check.annotations);
  return check;
}

TargetConfig resolve_target(const YamlNode& node, const PackCatalog& packs,
                            const std::vector<std::string>& load_errors, const Defaults& defaults) {
  // read_config checked that name and pack are present strings.
  TargetConfig target;
  target.name = node.find("name")->text;
  target.pack = node.find("pack")->text;
  target.mark = node.mark;
  const auto found = packs.find(target.pack);
  if (found == packs.end() || found->second == nullptr) {
    fail(node.find("pack")->mark,
         unknown_pack_message(target.pack, target.name, packs, load_errors));
  }
  const PackDeclaration& pack = *found->second;
  const std::string where = "target '" + target.name + "'";

  std::vector<std::string> allowed = {"name", "pack", "checks"};
  allowed.insert(allowed.end(), engine_keys().begin(), engine_keys().end());
  allowed.insert(allowed.end(), isolation_keys().begin(), isolation_keys().end());
  allowed.insert(allowed.end(), label_keys().begin(), label_keys().end());
  for (auto& param : param_names(pack.params)) allowed.push_back(param);
  check_keys(node, allowed, "in " + where);
  target.labels = defaults.labels;
  target.annotations = defaults.annotations;
  read_label_sections(node, where, target.labels, target.annotations);
  const EngineSettings settings = read_engine_settings(node, where);
  target.timeout = settings.timeout.value_or(defaults.timeout);
  target.isolation = defaults.isolation;
  target.runner_limits = defaults.runner_limits;
  read_isolation(node, where, target.isolation, target.runner_limits);
  // Pack-level parameters create the instance, which even a target whose
  // checks are all off may need for a check re-enabled below it.
  target.params =
      resolve_params(node, pack.params, where, target.pack, node.mark, true, &target.param_marks);

  static const YamlNode kNoChecks;
  const YamlNode* checks = node.find("checks");
  if (checks == nullptr) checks = &kNoChecks;
  require_map(*checks, "'checks' in " + where);
  const std::vector<std::string> known = check_names(pack);
  // Listed checks first, in file order, so the first error reported is the
  // first one in the file; then the unlisted ones. Stored in pack order.
  std::vector<std::optional<CheckConfig>> resolved(pack.checks.size());
  for (size_t k = 0; k < checks->keys.size(); ++k) {
    const std::string& name = checks->keys[k];
    const auto it = std::find(known.begin(), known.end(), name);
    if (it == known.end()) {
      fail(checks->key_marks[k], "unknown check '" + name + "' in " + where + " (pack '" +
                                     target.pack + "' has: " + join_names(known) + ")" +
                                     did_you_mean(name, known));
    }
    const YamlNode& section = checks->items[k];
    require_map(section, "check '" + name + "' of " + where);
    const auto index = static_cast<uint32_t>(it - known.begin());
    resolved[index] = resolve_check(pack.checks[index], index, &section, checks->key_marks[k],
                                    settings, defaults, target);
  }
  for (uint32_t i = 0; i < pack.checks.size(); ++i) {
    if (!resolved[i]) {
      resolved[i] =
          resolve_check(pack.checks[i], i, nullptr, node.mark, settings, defaults, target);
    }
    target.checks.push_back(std::move(*resolved[i]));
  }
  return target;
}

}  // namespace

const Mark& TargetConfig::mark_of(std::string_view param) const {
  const auto found = param_marks.find(param);
  return found != param_marks.end() ? found->second : mark;
}

Config resolve_config(const RawConfig& raw, const PackCatalog& packs,
                      const std::vector<std::string>& pack_load_errors) {
  Config config = raw.settings;
  for (const auto& node : raw.targets.items) {
    config.targets.push_back(resolve_target(node, packs, pack_load_errors, config.defaults));
  }
  check_receiver_matches(config);
  return config;
}

Config load_config(const std::filesystem::path& file, const PackCatalog& packs) {
  return resolve_config(*read_config(file), packs);
}

}  // namespace opr::config
