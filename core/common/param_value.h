// Typed parameter values: what a user's YAML or a pack's textual default
// becomes once it is checked against the declared op_param_type.
#pragma once

#include <operator/plugin.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace opr {

// Alternatives in the order of op_param_type (STRING .. STRING_LIST).
using ParamValue = std::variant<std::string, int64_t, double, bool, std::chrono::milliseconds,
                                std::vector<std::string>>;
using ParamMap = std::map<std::string, ParamValue, std::less<>>;

// "string", "int", "float", "bool", "duration", "string-list"; "unknown" else.
std::string_view param_type_name(int32_t type);
bool is_valid_param_type(int32_t type);

// Parses text in the form of op_param_def.default_value (and of YAML scalars)
// into a value of `type`. nullopt when it does not parse as that type.
std::optional<ParamValue> parse_param_text(int32_t type, std::string_view text);

// The value in the same text form, e.g. for `plugins list` and `config check`.
std::string format_param_value(const ParamValue& value);

}  // namespace opr
