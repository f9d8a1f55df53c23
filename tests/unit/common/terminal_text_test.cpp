// The one rule for showing text from outside on a terminal: C0, DEL, C1 and
// bytes that are not UTF-8 escaped visibly; everything else as it came.
#include "common/terminal_text.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "common/json_output.h"

namespace opr {
namespace {

using namespace std::string_literals;

TEST(TerminalText, PrintableAsciiAndValidUtf8AreUntouched) {
  for (const std::string& text :
       {""s, "Store 2 at 10.0.1.12:20160 is Down"s, "d\xC3\xA9j\xC3\xA0 vu"s,  // déjà vu
        "\xE4\xB8\xAD\xE6\x96\x87"s,                                           // 中文
        "\xF0\x9F\x94\xA5 fire"s,                                              // U+1F525
        "\xC2\xA0nbsp, \xC2\xA9 U+00A9, \xEF\xBF\xBD U+FFFD, \xF4\x8F\xBF\xBF U+10FFFF"s,
        "back\\slash \\x1b stays as written"s}) {
    EXPECT_EQ(escape_for_terminal(text), text);
    EXPECT_EQ(escape_for_terminal(text, TextLayout::lines), text);
    EXPECT_EQ(terminal_safe_prefix(text), text.size());
  }
}

TEST(TerminalText, C0ControlsAndDelAreEscaped) {
  EXPECT_EQ(escape_for_terminal("\x1b[2J\x1b[31mPWNED\x1b[0m\a"),
            "\\x1b[2J\\x1b[31mPWNED\\x1b[0m\\x07");
  EXPECT_EQ(escape_for_terminal("nul\0here"s), "nul\\x00here");
  EXPECT_EQ(escape_for_terminal("\x01\x08\x0b\x0c\x1f\x7f"), "\\x01\\x08\\x0b\\x0c\\x1f\\x7f");
  EXPECT_EQ(escape_for_terminal("a\nb\tc\rd"), "a\\nb\\tc\\rd");
  EXPECT_EQ(escape_for_terminal("\x1b]0;title\x07"), "\\x1b]0;title\\x07");  // OSC
}

TEST(TerminalText, LinesKeepLineBreaksAndTabsButNotCarriageReturns) {
  EXPECT_EQ(escape_for_terminal("one\n\ttwo\r\nthree\x1b[K", TextLayout::lines),
            "one\n\ttwo\\r\nthree\\x1b[K");
  EXPECT_EQ(terminal_safe_prefix("a\nb", TextLayout::lines), 3u);
  EXPECT_EQ(terminal_safe_prefix("a\nb"), 1u);
}

TEST(TerminalText, C1ControlsAreEscapedAsByteOrCodePoint) {
  // A lone 0x9b (CSI in 8-bit terminals) is not UTF-8: shown as its byte.
  EXPECT_EQ(escape_for_terminal("\x9b"
                                "31mred"),
            "\\x9b31mred");
  EXPECT_EQ(escape_for_terminal("\x85\x90\x9d\x9f"), "\\x85\\x90\\x9d\\x9f");
  // U+009B written as UTF-8: a code point, shown as one.
  EXPECT_EQ(escape_for_terminal("\xC2\x9b"
                                "31m \xC2\x80 \xC2\x9f"),
            "\\u009b31m \\u0080 \\u009f");
  EXPECT_EQ(escape_for_terminal("\xC2\xA0"), "\xC2\xA0");  // U+00A0 is no control
}

TEST(TerminalText, InvalidUtf8IsEscapedByteByByte) {
  EXPECT_EQ(escape_for_terminal("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(escape_for_terminal("cut \xE4\xB8"), "cut \\xe4\\xb8");            // truncated
  EXPECT_EQ(escape_for_terminal("\xC0\xAF"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(escape_for_terminal("\xE0\x80\xAF"), "\\xe0\\x80\\xaf");           // overlong
  EXPECT_EQ(escape_for_terminal("\xED\xA0\x80"), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(escape_for_terminal("\xF4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // > U+10FFFF
  EXPECT_EQ(escape_for_terminal("\x80"
                                "abc"),
            "\\x80abc");  // a lone continuation byte
  // A bad byte does not swallow the valid character after it.
  EXPECT_EQ(escape_for_terminal("\xE4\xC3\xA9"), "\\xe4\xC3\xA9");
}

TEST(TerminalText, TheSafePrefixStopsAtTheFirstByteToEscape) {
  EXPECT_EQ(terminal_safe_prefix("ab\xC3\xA9\x1b"), 4u);
  EXPECT_EQ(terminal_safe_prefix("\xff"), 0u);
  std::string out = "kept: ";
  append_for_terminal(out, "x\x1by");
  EXPECT_EQ(out, "kept: x\\x1by");
}

TEST(JsonOutput, ControlCharactersRoundTripAsEscapes) {
  const std::string hostile = "\x1b[2J\x1b[31mPWNED\x1b[0m\a\x7f\xC2\x9b\n\xC3\xA9";
  const nlohmann::json value = {{"address", hostile}};
  const std::string text = json_output(value);
  EXPECT_EQ(
      text,
      "{\"address\":\"\\u001b[2J\\u001b[31mPWNED\\u001b[0m\\u0007\\u007f\\u009b\\n\xC3\xA9\"}");
  EXPECT_EQ(nlohmann::json::parse(text)["address"], hostile);  // the exact bytes
  EXPECT_EQ(terminal_safe_prefix(text), text.size());          // nothing raw on a terminal
}

TEST(JsonOutput, InvalidUtf8BecomesTheReplacementCharacterAndNeverThrows) {
  const nlohmann::ordered_json value = {{"note",
                                         "a\xff"
                                         "b"}};
  std::string text;
  ASSERT_NO_THROW(text = json_output(value, 2));
  EXPECT_EQ(nlohmann::json::parse(text)["note"],
            "a\xEF\xBF\xBD"
            "b");
}

}  // namespace
}  // namespace opr
