// The Prometheus text exposition format (version 0.0.4), written family by
// family: `# HELP`, `# TYPE`, then the samples, with label values and help
// text escaped as the format says (backslash, double quote, line feed).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opr::observe {

// The Content-Type of the format.
inline constexpr const char* kExpositionType = "text/plain; version=0.0.4; charset=utf-8";

// name="value" pairs, in the order given.
using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

// A label value as the format writes it between its quotes: `\` -> `\\`,
// `"` -> `\"`, line feed -> `\n`. Bytes that are not UTF-8 become U+FFFD,
// which the format requires of every label value.
std::string escape_label_value(std::string_view value);
// A sample value: integers without a fraction or exponent, others in the
// shortest form that reads back exactly, `+Inf`, `-Inf`, `NaN`.
std::string format_value(double value);

class Exposition {
 public:
  // Starts a family: `type` is counter, gauge, histogram, ... `help` is
  // escaped (`\` and line feed).
  void family(std::string_view name, std::string_view type, std::string_view help);
  // One sample; `name` may extend the family's (`_bucket`, `_sum`, ...).
  void sample(std::string_view name, const Labels& labels, double value);
  void sample(std::string_view name, const Labels& labels, uint64_t value);

  const std::string& text() const { return text_; }

 private:
  void series(std::string_view name, const Labels& labels);
  std::string text_;
};

}  // namespace opr::observe
