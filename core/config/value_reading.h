// Typed reads of YAML values, each failing with a ConfigError that says
// where the value is and what was expected. `what` names the value for the
// message, e.g. "'interval' in check 'latency' of target 'prod'".
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/pack_declaration.h"
#include "common/param_value.h"
#include "common/severity.h"
#include "config/yaml_tree.h"

namespace opr::config {

[[noreturn]] void fail(const Mark& mark, const std::string& message);

// Every key of `map` must be in `allowed`; `where` ends the message, e.g.
// "in target 'prod'" or "at the top level".
void check_keys(const YamlNode& map, const std::vector<std::string>& allowed,
                std::string_view where);

// A mapping, or null (read as an empty mapping).
void require_map(const YamlNode& node, std::string_view what);

const std::string& read_string(const YamlNode& node, std::string_view what);
// `secret`: the value is a secret parameter's, never shown in a message.
std::chrono::milliseconds read_duration(const YamlNode& node, std::string_view what,
                                        bool allow_zero, bool secret = false);
int64_t read_int(const YamlNode& node, std::string_view what, int64_t min, int64_t max);
bool read_bool(const YamlNode& node, std::string_view what, bool secret = false);
Severity read_severity(const YamlNode& node, std::string_view what);
// One of `choices`, e.g. the log formats.
std::string read_choice(const YamlNode& node, std::string_view what,
                        const std::vector<std::string>& choices);

// The keys that say where a target's pack runs: `isolation`,
// `runner_memory_mb`, `runner_open_files`.
const std::vector<std::string>& isolation_keys();

// Those keys of `section` (the defaults, or a target), over what
// `isolation` and `limits` hold. `where` names the section in messages,
// e.g. "'defaults'" or "target 'prod'".
void read_isolation(const YamlNode& section, const std::string& where, Isolation& isolation,
                    RunnerLimitsConfig& limits);

// A parameter's value, typed and inside the range its declaration gives.
// `where` ends the message, e.g. "check 'latency' of target 'prod'". The
// value of a secret parameter (see is_secret_param), of whatever type, is
// never part of a message: it shows as "a value".
ParamValue read_param(const YamlNode& node, const ParamDeclaration& def, std::string_view where);

// The declared parameters of one section (of a target of `pack`), defaults
// applied. `mark` is where a missing required parameter is reported; a
// disabled check never runs, so it need not set its required parameters.
// `marks` (when given) receives where each parameter set in the section was
// written. Shared by the config and `plugins test` files.
ParamMap resolve_params(const YamlNode& section, const std::vector<ParamDeclaration>& defs,
                        const std::string& where, const std::string& pack, const Mark& mark,
                        bool enabled, std::map<std::string, Mark, std::less<>>* marks = nullptr);

}  // namespace opr::config
