#include "common/text_check.h"

namespace opr {

size_t utf8_length_at(std::string_view text, size_t i) {
  const auto in = [&](size_t k, unsigned low, unsigned high) {
    if (i + k >= text.size()) return false;
    const unsigned b = static_cast<unsigned char>(text[i + k]);
    return b >= low && b <= high;
  };
  const auto tail = [&](size_t k) { return in(k, 0x80, 0xBF); };
  if (in(0, 0x00, 0x7F)) return 1;
  if (in(0, 0xC2, 0xDF)) return tail(1) ? 2 : 0;
  if (in(0, 0xE0, 0xE0)) return in(1, 0xA0, 0xBF) && tail(2) ? 3 : 0;  // no overlong forms
  if (in(0, 0xED, 0xED)) return in(1, 0x80, 0x9F) && tail(2) ? 3 : 0;  // no surrogates
  if (in(0, 0xE1, 0xEF)) return tail(1) && tail(2) ? 3 : 0;
  if (in(0, 0xF0, 0xF0)) return in(1, 0x90, 0xBF) && tail(2) && tail(3) ? 4 : 0;
  if (in(0, 0xF1, 0xF3)) return tail(1) && tail(2) && tail(3) ? 4 : 0;
  if (in(0, 0xF4, 0xF4)) return in(1, 0x80, 0x8F) && tail(2) && tail(3) ? 4 : 0;  // <= U+10FFFF
  return 0;
}

std::optional<size_t> invalid_utf8_at(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = utf8_length_at(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::nullopt;
}

std::optional<std::string> text_problem(std::string_view text) {
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return "has a NUL byte at byte " + std::to_string(nul);
  }
  if (const auto at = invalid_utf8_at(text)) {
    return "is not valid UTF-8 (at byte " + std::to_string(*at) + ")";
  }
  return std::nullopt;
}

}  // namespace opr
