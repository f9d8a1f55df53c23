// Performance data as the Monitoring Plugins Development Guidelines write
// it, and as real plugins print it; malformed items are skipped with a note.
#include "perfdata.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opr::exec {
namespace {

std::string facts_text(std::string_view perfdata) {
  std::string text;
  for (const Fact& fact : perfdata_facts(parse_perfdata(perfdata).items)) {
    text += fact.key + "=" + fact.value + (fact.is_number ? "#" : "") + " ";
  }
  return text;
}

std::vector<std::string> notes(std::string_view perfdata) { return parse_perfdata(perfdata).notes; }

TEST(Perfdata, AFullItemGivesEveryFact) {
  const auto reading = parse_perfdata("time=0.002s;1.000;2.000;0.000;10.000");
  ASSERT_EQ(reading.items.size(), 1u);
  EXPECT_TRUE(reading.notes.empty());
  const Perfdatum& item = reading.items[0];
  EXPECT_EQ(item.label, "time");
  EXPECT_EQ(item.value, 0.002);
  EXPECT_EQ(item.unit, "s");
  EXPECT_EQ(item.warn, "1.000");
  EXPECT_EQ(item.crit, "2.000");
  EXPECT_EQ(item.min, 0.0);
  EXPECT_EQ(item.max, 10.0);
  EXPECT_EQ(facts_text("time=0.002s;1.000;2.000;0.000;10.000"),
            "time=0.002# time.unit=s time.warn=1# time.crit=2# time.min=0# time.max=10# ");
}

TEST(Perfdata, RealPluginsOutput) {
  // check_http, check_disk, check_procs, check_load as they print it.
  EXPECT_EQ(facts_text("time=0.000412s;;;0.000000;10.000000 size=212B;;;0"),
            "time=0.000412# time.unit=s time.min=0# time.max=10# size=212# size.unit=B "
            "size.min=0# ");
  EXPECT_EQ(facts_text("/=16243MB;19236;21640;0;24045"),
            "/=16243# /.unit=MB /.warn=19236# /.crit=21640# /.min=0# /.max=24045# ");
  EXPECT_EQ(facts_text("procs=123;;;0;"), "procs=123# procs.min=0# ");
  EXPECT_EQ(facts_text("load1=0.250;15.000;30.000;0; load5=0.3;15;30;0;"),
            "load1=0.25# load1.warn=15# load1.crit=30# load1.min=0# load5=0.3# load5.warn=15# "
            "load5.crit=30# load5.min=0# ");
}

TEST(Perfdata, QuotedLabelsMayHoldSpacesEqualsAndDoubledQuotes) {
  EXPECT_EQ(facts_text("'/ used'=10% 'a=b'=1 'it''s'=2c"),
            "/ used=10# / used.unit=% a=b=1# it's=2# it's.unit=c ");
}

TEST(Perfdata, TrailingFieldsMayBeLeftOutAndUnitsAreAnyWord) {
  EXPECT_EQ(facts_text("a=1 b=2; c=3;; d=4KiB;5;6"),
            "a=1# b=2# c=3# d=4# d.unit=KiB d.warn=5# d.crit=6# ");
}

TEST(Perfdata, RangesStayAsWritten) {
  EXPECT_EQ(facts_text("x=5;10:;~:20;0;100 y=1;@10:20;-5:5"),
            "x=5# x.warn=10: x.crit=~:20 x.min=0# x.max=100# y=1# y.warn=@10:20 y.crit=-5:5 ");
}

TEST(Perfdata, UndeterminedValueIsTextU) {
  EXPECT_EQ(facts_text("rta=U;;;; pl=100%"), "rta=U pl=100# pl.unit=% ");
}

TEST(Perfdata, NumbersInEveryFormAPluginPrints) {
  EXPECT_EQ(facts_text("a=-1.5 b=+2 c=.5 d=1e3 e=0"), "a=-1.5# b=2# c=0.5# d=1000# e=0# ");
}

TEST(Perfdata, MalformedItemsAreSkippedWithANoteAndTheRestKept) {
  const auto reading =
      parse_perfdata("good=1 novalue= noequals x=abc y=1;2;3;4;5;6 z=1,5 w=1;x after=2 '=3 m");
  std::vector<std::string> labels;
  for (const auto& item : reading.items) labels.push_back(item.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"good", "after"}));
  EXPECT_EQ(reading.notes, (std::vector<std::string>{
                               "'novalue=': no value",
                               "'noequals': no '=' after the label (write label=value)",
                               "'x=abc': value 'abc' is not a number",
                               "'y=1;2;3;4;5;6': more than 5 fields (value;warn;crit;min;max)",
                               "'z=1,5': unit ',5' is not a unit of measurement",
                               "'w=1;x': warn 'x' is not a range",
                               "''=3 m': the quoted label is not closed",
                           }));
}

TEST(Perfdata, TheRestAfterAnUnclosedQuoteIsNotGuessedAt) {
  EXPECT_EQ(facts_text("a=1 'b c=2 d=3"), "a=1# ");
}

TEST(Perfdata, MinAndMaxMustBeNumbersAndValuesFinite) {
  EXPECT_EQ(notes("m=1;;;lo"), (std::vector<std::string>{"'m=1;;;lo': min 'lo' is not a number"}));
  EXPECT_EQ(notes("u=NaN"), (std::vector<std::string>{"'u=NaN': value 'NaN' is not a number"}));
  EXPECT_EQ(notes("v=inf"), (std::vector<std::string>{"'v=inf': value 'inf' is not a number"}));
  EXPECT_EQ(notes("big=1e999"),
            (std::vector<std::string>{"'big=1e999': value '1e999' is not a number"}));
  // A quoted empty label with no '=', an empty label, a lone "1".
  EXPECT_EQ(notes("'' = 1").size(), 3u);
}

TEST(Perfdata, EmptyAndBlankTextHasNoItems) {
  EXPECT_TRUE(parse_perfdata("").items.empty());
  EXPECT_TRUE(parse_perfdata("   \t ").notes.empty());
}

TEST(Perfdata, HostileTextNeverBreaksTheParser) {
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise += static_cast<char>((i * 131) % 256);
  const auto reading = parse_perfdata(noise);
  EXPECT_LE(reading.items.size() + reading.notes.size(), noise.size());
  EXPECT_EQ(facts_text(std::string(100000, '\'')), "");
}

}  // namespace
}  // namespace opr::exec
