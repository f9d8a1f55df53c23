#include "common/severity.h"

namespace opr {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warning";
    case Severity::critical:
      return "critical";
  }
  return "unknown";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "info") return Severity::info;
  if (text == "warning") return Severity::warning;
  if (text == "critical") return Severity::critical;
  return std::nullopt;
}

std::optional<Severity> severity_from_abi(int32_t value) {
  if (value < static_cast<int32_t>(Severity::info) ||
      value > static_cast<int32_t>(Severity::critical)) {
    return std::nullopt;
  }
  return static_cast<Severity>(value);
}

Severity effective_severity(int32_t reported, Severity configured) {
  return severity_from_abi(reported).value_or(configured);
}

}  // namespace opr
