#include "byte_size.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace opr::tikv {
namespace {

// The power of 1024 a unit letter stands for, or -1.
int unit_power(char letter) {
  switch (std::tolower(static_cast<unsigned char>(letter))) {
    case 'k':
      return 1;
    case 'm':
      return 2;
    case 'g':
      return 3;
    case 't':
      return 4;
    case 'p':
      return 5;
    case 'e':
      return 6;
    default:
      return -1;
  }
}

bool is_letter(std::string_view text, size_t at, char lower) {
  return at < text.size() && std::tolower(static_cast<unsigned char>(text[at])) == lower;
}

}  // namespace

std::optional<uint64_t> parse_byte_size(std::string_view text) {
  // The number: digits, then optionally a dot and more digits (no sign, no
  // exponent), as the go-units regular expression allows.
  size_t end = 0;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  if (end == 0) return std::nullopt;
  if (end < text.size() && text[end] == '.') {
    const size_t fraction = ++end;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    if (end == fraction) return std::nullopt;
  }
  double number = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + end, number);
  if (parsed.ec != std::errc{}) return std::nullopt;

  size_t at = end;
  if (at < text.size() && text[at] == ' ') ++at;
  int power = 0;
  if (at < text.size() && unit_power(text[at]) > 0) {
    power = unit_power(text[at++]);
    if (is_letter(text, at, 'i')) ++at;
  }
  if (is_letter(text, at, 'b')) ++at;
  if (at != text.size()) return std::nullopt;

  const double bytes = std::round(number * std::pow(1024.0, power));
  // 2^64 is exactly representable; anything at or above it does not fit.
  if (!(bytes < 18446744073709551616.0)) return std::nullopt;
  return static_cast<uint64_t>(bytes);
}

}  // namespace opr::tikv
