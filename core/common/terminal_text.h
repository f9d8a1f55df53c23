// How text from outside (PD, Prometheus, packs, ticket notes and
// diagnoses, config values, file names, library errors) is shown on a
// terminal or in the text log. It is stored as it came; only its display is
// escaped, so that whoever wrote it cannot move the cursor, clear the
// screen, retitle the window or forge a line of output.
//
// The one rule (escape_for_terminal and its siblings own it; every text
// output goes through them):
// - printable ASCII and well-formed UTF-8 (utf8_length_at in
//   common/text_check.h; RFC 3629: no overlong forms, no
//   surrogates, nothing above U+10FFFF) are shown as they are, except:
// - C0 controls (U+0000-U+001F) and DEL (U+007F) show as `\xNN` (lower-case
//   hex), LF, TAB and CR as `\n`, `\t` and `\r`;
// - C1 controls (U+0080-U+009F, written as valid UTF-8) show as `\u0080` ..
//   `\u009f`;
// - every byte that is not part of well-formed UTF-8 shows as `\xNN`
//   (a lone 0x9b, which some terminals read as CSI, shows as `\x9b`).
// In TextLayout::lines, LF and TAB are kept as layout; CR is escaped all the
// same, since it would let a line overwrite itself. A backslash is not
// escaped: text output is for reading; `--json` is the exact form.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace opr {

enum class TextLayout {
  // A value inside one line (a table cell, a field, a `--once` line, a log
  // line): line breaks and tabs are escaped too, so no line can be forged.
  one_line,
  // A block of lines (a diagnosis, a snapshot, an error on stderr): LF and
  // TAB are kept as layout.
  lines,
};

// `text` as it may be shown on a terminal. Returns a copy of `text` when
// nothing needs escaping.
std::string escape_for_terminal(std::string_view text, TextLayout layout = TextLayout::one_line);

// The same, appended to `out`: for hot paths that reuse a buffer.
void append_for_terminal(std::string& out, std::string_view text,
                         TextLayout layout = TextLayout::one_line);

// How many leading bytes of `text` need no escaping (text.size() when none
// do): one scan, no allocation, so callers can copy clean text as it is.
size_t terminal_safe_prefix(std::string_view text, TextLayout layout = TextLayout::one_line);

// --color: whether text output is coloured.
enum class ColorMode { never, automatic, always };

// "never", "auto" or "always"; nullopt otherwise.
std::optional<ColorMode> parse_color_mode(std::string_view text);

// Whether to colour what is written to `fd`: always with `always`, never
// with `never`; with `automatic`, when `fd` is a terminal, $NO_COLOR is
// unset or empty (no-color.org: an explicit --color always still wins) and
// $TERM is not "dumb".
bool use_color(ColorMode mode, int fd);

// For JSON text that is already valid UTF-8 (nlohmann's dump with its
// `replace` error handler): DEL and C1 controls, which JSON allows raw,
// written as \u007f and \u0080 .. \u009f instead, so that JSON printed on a
// terminal carries no raw control character either. The JSON value is the
// same (the escapes decode to the same characters). No allocation when
// there is nothing to change.
void escape_json_controls(std::string& json);

}  // namespace opr
