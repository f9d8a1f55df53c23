// Violation severity, shared by config, engine, tickets and the CLI.
#pragma once

#include <optional>
#include <string_view>

namespace opr {

// Values match op_severity in plugin.h, so conversions are plain casts.
enum class Severity { info = 1, warning = 2, critical = 3 };

std::string_view to_string(Severity severity);
// "info", "warning" or "critical"; nullopt otherwise.
std::optional<Severity> parse_severity(std::string_view text);

}  // namespace opr
