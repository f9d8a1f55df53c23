// Whether bytes are text: UTF-8 as RFC 3629 defines it, and no NUL.
#include "common/text_check.h"

#include <gtest/gtest.h>

#include <string>

namespace opr {
namespace {

TEST(TextCheck, WellFormedUtf8IsText) {
  for (const std::string text : {"", "plain ascii", "caf\xc3\xa9", "\xe2\x9c\x93 done",
                                 "\xf0\x9f\x94\xa5 fire", "\xf4\x8f\xbf\xbf",  // U+10FFFF
                                 "\x1b[31mred\x1b[0m\a\x7f"}) {
    EXPECT_EQ(invalid_utf8_at(text), std::nullopt) << text;
    EXPECT_EQ(text_problem(text), std::nullopt) << text;
  }
}

TEST(TextCheck, MalformedUtf8IsFoundAtItsFirstByte) {
  const struct {
    std::string text;
    size_t at;
  } cases[] = {
      {"\x80", 0},                   // a continuation byte alone
      {"ab\xc3", 2},                 // cut short
      {"\xc0\xaf", 0},               // overlong '/'
      {"\xc1\xbf", 0},               // overlong
      {"\xe0\x80\xaf", 0},           // overlong, three bytes
      {"\xed\xa0\x80", 0},           // a UTF-16 surrogate
      {"\xf0\x80\x80\xaf", 0},       // overlong, four bytes
      {"\xf4\x90\x80\x80", 0},       // past U+10FFFF
      {"\xf5\x80\x80\x80", 0},       // no such lead byte
      {"ok \xe2\x9c", 3},            // cut short at the end
      {"\xe2\x9c\x93\xe2(\x93", 3},  // a bad second byte
      {"\xff", 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(invalid_utf8_at(c.text), c.at) << c.text;
    EXPECT_EQ(text_problem(c.text), "is not valid UTF-8 (at byte " + std::to_string(c.at) + ")");
  }
}

TEST(TextCheck, ANulByteIsNotText) {
  EXPECT_EQ(text_problem(std::string("disk\0full", 9)), "has a NUL byte at byte 4");
  EXPECT_EQ(invalid_utf8_at(std::string("\0", 1)), std::nullopt) << "NUL is valid UTF-8";
}

}  // namespace
}  // namespace opr
