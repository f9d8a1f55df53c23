// Tables as a person reads them in an 80-column terminal.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/table.h"
#include "test_support.h"

namespace opr::cli {
namespace {

std::string render(const Table& table, size_t width = 0) {
  std::ostringstream out;
  table.print(out, width);
  return out.str();
}

TEST(Table, ColumnsAreAlignedTwoSpacesApart) {
  Table table({{"ID", Table::Align::right}, {"NAME"}, {"NOTE"}});
  table.add_row({"7", "tikv", "slow"});
  table.add_row({"123", "pd", "down"});
  EXPECT_EQ(render(table),
            " ID  NAME  NOTE\n"
            "  7  tikv  slow\n"
            "123  pd    down\n");
}

TEST(Table, TheLastColumnIsCutToFitTheWidth) {
  Table table({{"A"}, {"MESSAGE"}});
  table.add_row({"x", "a message that is far too long to fit"});
  const std::string text = render(table, 20);
  EXPECT_EQ(text,
            "A  MESSAGE\n"
            "x  a message that...\n");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 20u);
}

TEST(Table, TheLastColumnKeepsSomeRoomWhenOthersAreWide) {
  Table table({{"A"}, {"MESSAGE"}});
  table.add_row({std::string(90, 'a'), "store 4 is down since noon"});
  EXPECT_NE(render(table, 80).find("store 4 i..."), std::string::npos);
}

TEST(Table, ColumnsThatMayBeCutGiveWayWhenTheLastIsAsNarrowAsItGoes) {
  Table table({{"ID"},
               {"TARGET", Table::Align::left, true},
               {"SUBJECT", Table::Align::left, true},
               {"MESSAGE"}});
  table.add_row({"1", "prod-tikv-east", "pd:http://pd-0.pd.svc.cluster.local:2379",
                 "PD answered HTTP 500 for every request"});
  const std::string text = render(table, 60);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 60u) << text;
  EXPECT_NE(text.find("prod-tikv-east  pd:http://pd-0.pd.svc.c...  PD answer..."),
            std::string::npos)
      << "the widest gives way first; the message keeps its least\n"
      << text;
}

TEST(Table, CutColumnsKeepTheirHeaderAndALeastWidth) {
  Table table(
      {{"TARGET", Table::Align::left, true}, {"SUBJECT", Table::Align::left, true}, {"MESSAGE"}});
  table.add_row({"prod-tikv-east", "pd:http://pd:2379", "PD answered HTTP 500"});
  const std::string text = render(table, 20);
  EXPECT_NE(text.find("\nprod-...  pd:ht..."), std::string::npos) << text;
}

TEST(Table, NoTrailingBlanksAndNoLineBreaksInCells) {
  Table table({{"A"}, {"B"}});
  table.add_row({"long value", ""});
  table.add_row({"x", "two\nlines\tand a tab"});
  EXPECT_EQ(render(table),
            "A           B\n"
            "long value\n"
            "x           two\\nlines\\tand a tab\n");
}

// Cells come from outside (PD, packs, notes): a control character is shown
// escaped, and columns are measured on what is shown.
TEST(Table, ControlCharactersAreEscapedAndMeasuredAsShown) {
  Table table({{"ADDRESS"}, {"STATE"}});
  table.add_row({"\x1b[2J\x1b[31mPWNED\x1b[0m\a", "Down"});
  table.add_row(
      {"\x9b"
       "1m\xff",
       "Up"});
  table.add_row({"10.0.1.12:20160", "Up"});
  EXPECT_EQ(render(table),
            "ADDRESS                          STATE\n"
            "\\x1b[2J\\x1b[31mPWNED\\x1b[0m\\x07  Down\n"
            "\\x9b1m\\xff                       Up\n"
            "10.0.1.12:20160                  Up\n");
}

TEST(Table, WideCharactersTakeTwoColumnsAndCombiningMarksNone) {
  EXPECT_EQ(display_width("\xE4\xB8\xAD\xE6\x96\x87"), 4u);  // 中文
  EXPECT_EQ(display_width("e\xCC\x81"), 1u);                 // e + combining acute
  EXPECT_EQ(display_width("\xF0\x9F\x94\xA5"), 2u);          // an emoji
  Table table({{"NAME"}, {"X"}});
  table.add_row({"\xE4\xB8\xAD\xE6\x96\x87", "1"});
  table.add_row({"abcde", "2"});
  EXPECT_EQ(render(table), "NAME   X\n\xE4\xB8\xAD\xE6\x96\x87   1\nabcde  2\n");
  // Cut by columns, never inside a character.
  EXPECT_EQ(cut_to_width("\xE4\xB8\xAD\xE6\x96\x87\xE4\xB8\xAD\xE6\x96\x87", 6), "\xE4\xB8\xAD...");
}

TEST(Table, MultibyteTextIsMeasuredAndCutByCharacter) {
  EXPECT_EQ(display_width("d\xC3\xA9j\xC3\xA0"), 4u);  // "déjà"
  Table table({{"NAME"}, {"X"}});
  table.add_row({"d\xC3\xA9j\xC3\xA0", "1"});
  EXPECT_EQ(render(table), "NAME  X\nd\xC3\xA9j\xC3\xA0  1\n");
  EXPECT_EQ(cut_to_width("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 5),
            "\xC3\xA9\xC3\xA9...");
}

// Piped or redirected output (tests run with stdout not a terminal) is
// never cut: width 0, unless COLUMNS says otherwise.
TEST(Table, TerminalWidthFollowsColumnsElseNoLimitWithoutATerminal) {
  opr::test::ScopedEnv columns("COLUMNS", "132");
  EXPECT_EQ(terminal_width(), 132u);
  columns.set("wide");
  EXPECT_EQ(terminal_width(), 0u);
  columns.unset();
  EXPECT_EQ(terminal_width(), 0u);
}

// Colour wraps the text of a styled cell; the columns line up as without it.
TEST(Table, ColourCodesTakeNoColumns) {
  Table table({{"SEV"}, {"WHO"}, {"NOTE"}});
  table.add_row({"crit", "a", "x"}, {kRed, "", kBold});
  table.add_row({"info", "bb", "y"});
  std::ostringstream plain;
  table.print(plain, 0, false);
  EXPECT_EQ(plain.str(), "SEV   WHO  NOTE\ncrit  a    x\ninfo  bb   y\n");
  std::ostringstream coloured;
  table.print(coloured, 0, true);
  EXPECT_EQ(coloured.str(),
            "SEV   WHO  NOTE\n\x1b[31mcrit\x1b[0m  a    \x1b[1mx\x1b[0m\ninfo  bb   y\n");
}

}  // namespace
}  // namespace opr::cli
