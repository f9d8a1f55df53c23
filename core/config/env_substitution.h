// ${VAR} and ${VAR:-default} in config strings, with $$ for a literal dollar.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace opr::config {

// Looks a variable up; nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment, as EnvLookup.
std::optional<std::string> process_env(const std::string& name);

// Replaces every ${VAR} and ${VAR:-default} in `text` (the default is used
// when VAR is unset or empty, as in the shell) and every $$ with $. A $ not
// followed by { or $ stays as it is. Throws std::invalid_argument with a
// message for an unset variable without a default, an unterminated ${ or a
// bad variable name.
std::string substitute_env(std::string_view text, const EnvLookup& lookup = process_env);

}  // namespace opr::config
