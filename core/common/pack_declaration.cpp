#include "common/pack_declaration.h"

#include <cmath>
#include <variant>

namespace opr {
namespace {

// -1, 0, 1 like <=>; nullopt when the two cannot be compared (NaN, or
// values of different types, which the reader of a declaration refuses).
std::optional<int> compare(const ParamValue& a, const ParamValue& b) {
  if (a.index() != b.index()) return std::nullopt;
  if (const auto* x = std::get_if<int64_t>(&a)) {
    const int64_t y = std::get<int64_t>(b);
    return *x < y ? -1 : (*x > y ? 1 : 0);
  }
  if (const auto* x = std::get_if<double>(&a)) {
    const double y = std::get<double>(b);
    if (std::isnan(*x) || std::isnan(y)) return std::nullopt;
    return *x < y ? -1 : (*x > y ? 1 : 0);
  }
  if (const auto* x = std::get_if<std::chrono::milliseconds>(&a)) {
    const auto y = std::get<std::chrono::milliseconds>(b);
    return *x < y ? -1 : (*x > y ? 1 : 0);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ParamBounds::violation(const ParamValue& value) const {
  if (empty()) return std::nullopt;
  bool inside = true;
  if (const auto* number = std::get_if<double>(&value); number && !std::isfinite(*number)) {
    inside = false;  // a bounded float is a finite number
  }
  if (inside && min) {
    const auto order = compare(value, *min);
    inside = order && (min_exclusive ? *order > 0 : *order >= 0);
  }
  if (inside && max) {
    const auto order = compare(value, *max);
    inside = order && (max_exclusive ? *order < 0 : *order <= 0);
  }
  if (inside) return std::nullopt;
  return describe();
}

std::string ParamBounds::describe() const {
  std::string text;
  if (min) text += std::string(min_exclusive ? "> " : ">= ") + format_param_value(*min);
  if (max) {
    if (!text.empty()) text += " and ";
    text += std::string(max_exclusive ? "< " : "<= ") + format_param_value(*max);
  }
  return text;
}

const CheckDeclaration* PackDeclaration::find_check(std::string_view name) const {
  for (const auto& check : checks) {
    if (check.name == name) return &check;
  }
  return nullptr;
}

}  // namespace opr
