// The one rule for a fact that is a number: its value is a finite JSON
// number literal (RFC 8259), since a ticket's metric snapshot is JSON and
// JSON has no NaN or infinity. Packs write numbers through
// json_number_text(); the host accepts a fact as a number only when
// is_finite_json_number() says so, and keeps any other as text.
//
// Header-only and free of the ABI, so that a pack's pure code (parsers and
// evaluators tested without plugin.h) and the host share it.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace opr::sdk {

// The shortest text that reads back as `value` (3130.6, not
// 3130.5999999999999), or nullopt for NaN and infinities.
inline std::optional<std::string> json_number_text(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  char buffer[64];
  const auto written = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, written.ptr);
}

namespace json_number_detail {

// Digits from `at`; returns how many.
inline size_t digits(std::string_view text, size_t& at) {
  const size_t start = at;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
  return at - start;
}

}  // namespace json_number_detail

// True when `text` is exactly a JSON number literal ("-12", "0.5",
// "1e-3"; no spaces, no "+1", ".5", "0x10" or "NaN") whose value is finite
// as a double. A literal too small for a double reads as 0 and is finite;
// one too large ("1e999") is not.
inline bool is_finite_json_number(std::string_view text) {
  using json_number_detail::digits;
  size_t at = 0;
  if (at < text.size() && text[at] == '-') ++at;
  const size_t int_start = at;
  const size_t int_digits = digits(text, at);
  if (int_digits == 0 || (int_digits > 1 && text[int_start] == '0')) return false;
  // Where the first significant digit stands: 10^magnitude.
  int64_t magnitude = 0;
  bool nonzero = false;
  for (size_t i = int_start; i < int_start + int_digits && !nonzero; ++i) {
    if (text[i] != '0') {
      nonzero = true;
      magnitude = static_cast<int64_t>(int_start + int_digits - i) - 1;
    }
  }
  if (at < text.size() && text[at] == '.') {
    const size_t frac_start = ++at;
    if (digits(text, at) == 0) return false;
    for (size_t i = frac_start; i < at && !nonzero; ++i) {
      if (text[i] != '0') {
        nonzero = true;
        magnitude = -static_cast<int64_t>(i - frac_start) - 1;
      }
    }
  }
  int64_t exponent = 0;
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    bool negative = false;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) negative = text[at++] == '-';
    const size_t exp_start = at;
    if (digits(text, at) == 0) return false;
    for (size_t i = exp_start; i < at && exponent < 100000; ++i) {
      exponent = exponent * 10 + (text[i] - '0');  // saturates far beyond a double's range
    }
    if (negative) exponent = -exponent;
  }
  if (at != text.size()) return false;
  if (!nonzero) return true;  // zero, however it is written
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc()) return std::isfinite(value);
  // Out of range: too small reads as 0 (finite), too large is infinite.
  return error == std::errc::result_out_of_range && magnitude + exponent < 0;
}

}  // namespace opr::sdk
