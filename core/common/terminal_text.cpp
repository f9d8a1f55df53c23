#include "common/terminal_text.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "common/text_check.h"

namespace opr {
namespace {

constexpr char kHex[] = "0123456789abcdef";

unsigned byte_at(std::string_view text, size_t i) {
  return i < text.size() ? static_cast<unsigned char>(text[i]) : 0x100u;
}

bool is_c1(std::string_view text, size_t i) {
  const unsigned next = byte_at(text, i + 1);
  return byte_at(text, i) == 0xC2 && next >= 0x80 && next <= 0x9F;
}

// How many bytes at text[i] are shown as they are: the whole character, or
// 0 when it must be escaped.
size_t shown_as_is(std::string_view text, size_t i, TextLayout layout) {
  const unsigned c = byte_at(text, i);
  if (c < 0x80) {
    if (c >= 0x20 && c != 0x7F) return 1;
    return layout == TextLayout::lines && (c == '\n' || c == '\t') ? 1 : 0;
  }
  const size_t length = utf8_length_at(text, i);
  return length == 2 && is_c1(text, i) ? 0 : length;
}

void append_hex_escape(std::string& out, char prefix, unsigned width, unsigned value) {
  out += '\\';
  out += prefix;
  for (unsigned shift = 4 * (width - 1) + 4; shift > 0; shift -= 4) {
    out += kHex[(value >> (shift - 4)) & 0xF];
  }
}

// Escapes the character at text[i], which shown_as_is refused; returns how
// many bytes it took.
size_t append_escape(std::string& out, std::string_view text, size_t i) {
  const unsigned c = byte_at(text, i);
  switch (c) {
    case '\n':
      out += "\\n";
      return 1;
    case '\t':
      out += "\\t";
      return 1;
    case '\r':
      out += "\\r";
      return 1;
    default:
      break;
  }
  if (c >= 0x80 && utf8_length_at(text, i) == 2) {  // a C1 control, well-formed
    append_hex_escape(out, 'u', 4, byte_at(text, i + 1));
    return 2;
  }
  append_hex_escape(out, 'x', 2, c);  // C0, DEL, or a byte that is not UTF-8
  return 1;
}

}  // namespace

size_t terminal_safe_prefix(std::string_view text, TextLayout layout) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {  // the common case, decided in one compare
      ++i;
      continue;
    }
    const size_t length = shown_as_is(text, i, layout);
    if (length == 0) break;
    i += length;
  }
  return i;
}

void append_for_terminal(std::string& out, std::string_view text, TextLayout layout) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t clean = terminal_safe_prefix(text.substr(i), layout);
    out.append(text.data() + i, clean);
    i += clean;
    if (i < text.size()) i += append_escape(out, text, i);
  }
}

std::string escape_for_terminal(std::string_view text, TextLayout layout) {
  const size_t clean = terminal_safe_prefix(text, layout);
  if (clean == text.size()) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  out.append(text.data(), clean);
  append_for_terminal(out, text.substr(clean), layout);
  return out;
}

void escape_json_controls(std::string& json) {
  const auto control_at = [&](size_t i) { return json[i] == '\x7f' || is_c1(json, i); };
  size_t i = 0;
  while (i < json.size() && !control_at(i)) ++i;
  if (i == json.size()) return;
  std::string out;
  out.reserve(json.size() + 16);
  out.append(json, 0, i);
  while (i < json.size()) {
    if (json[i] == '\x7f') {
      out += "\\u007f";
      ++i;
    } else if (is_c1(json, i)) {
      append_hex_escape(out, 'u', 4, byte_at(json, i + 1));
      i += 2;
    } else {
      out += json[i++];
    }
  }
  json = std::move(out);
}

std::optional<ColorMode> parse_color_mode(std::string_view text) {
  if (text == "never") return ColorMode::never;
  if (text == "auto") return ColorMode::automatic;
  if (text == "always") return ColorMode::always;
  return std::nullopt;
}

bool use_color(ColorMode mode, int fd) {
  if (mode != ColorMode::automatic) return mode == ColorMode::always;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return ::isatty(fd) == 1;
}

}  // namespace opr
