// Violation severity, shared by config, engine, tickets and the CLI.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace opr {

// Values match op_severity in plugin.h, so conversions are plain casts.
enum class Severity { info = 1, warning = 2, critical = 3 };

std::string_view to_string(Severity severity);
// "info", "warning" or "critical"; nullopt otherwise.
std::optional<Severity> parse_severity(std::string_view text);

// The one reading of an op_severity from a pack (a check's default, a
// violation's own): info, warning or critical; nullopt for anything else,
// 0 ("the check's configured one") included.
std::optional<Severity> severity_from_abi(int32_t value);

// A violation's severity: its own when the pack gave a known one, else the
// check's configured one.
Severity effective_severity(int32_t reported, Severity configured);

}  // namespace opr
