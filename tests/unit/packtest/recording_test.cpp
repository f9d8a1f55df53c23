// A recorded run as `plugins test` reads it back: each body byte for byte,
// and multi-line text as YAML block scalars a person can read.
#include "packtest/recording.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "packtest/test_file.h"
#include "test_support.h"

namespace opr::packtest {
namespace {

using test::contains;

// Writes one run whose requests got `bodies`, in order, and reads it back.
struct RoundTrip {
  std::string text;                 // the file as written
  std::vector<std::string> bodies;  // as read back
};

RoundTrip round_trip(const std::vector<std::string>& bodies) {
  test::TempDir dir;
  PackDeclaration pack;
  pack.name = "example";
  pack.checks.push_back({"http_ok", "", 0, {}, {}, {}});
  config::TargetConfig target;
  target.name = "web";
  config::CheckConfig check;
  check.name = "http_ok";
  plugins::RunResult result;
  result.ok = true;
  RecordedRun run{pack, target, check, result, {}};
  for (size_t i = 0; i < bodies.size(); ++i) {
    run.exchanges.push_back({"GET",
                             "http://web.test/" + std::to_string(i),
                             std::nullopt,
                             200,
                             {{"content-type", "text/plain"}},
                             bodies[i]});
  }
  const auto file = dir / "web.http_ok.yaml";
  write_recorded_test(file, run);
  RoundTrip out{test::read_file(file), {}};
  const TestFile read = read_test_file(file);
  for (const auto& answer : read.runs.at(0).answers) {
    out.bodies.push_back(answer.body);
  }
  return out;
}

TEST(Recording, MultiLineTextIsABlockWhoseChompingKeepsTheTrailingLineBreaks) {
  const std::vector<std::string> bodies = {
      "# HELP up\nup 1\n",             // one trailing line break: |
      "{\n  \"count\": 3\n}",          // none: |-
      "line one\n\nline three\n\n\n",  // several, and an empty line inside: |+
      "a\n\tindented by a tab\n  and by spaces\n",
      "caf\xc3\xa9\nna\xc3\xafve\n",
      "\nafter an empty line\n",
  };
  const RoundTrip trip = round_trip(bodies);
  EXPECT_EQ(trip.bodies, bodies) << trip.text;
  // Each block's lines as written, indented under their key.
  for (const char* block : {"body: |\n", "body: |-\n", "body: |+\n"}) {
    EXPECT_TRUE(contains(trip.text, block)) << block << " in\n" << trip.text;
  }
  for (const char* line : {"  # HELP up\n", "    \"count\": 3\n", "  line three\n\n\n",
                           "    and by spaces\n", "  caf\xc3\xa9\n"}) {
    EXPECT_TRUE(contains(trip.text, line)) << line << " in\n" << trip.text;
  }
}

// Quoted, or (not text) in a file beside the test.
TEST(Recording, BodiesABlockCannotCarryAreNoBlockAndReadBackExactly) {
  const std::vector<std::string> bodies = {
      "one line",
      "  leading spaces\non the first line\n",
      "windows\r\nline breaks\r\n",
      "a trailing blank \nhere\n",
      "a bell\a\nhere\n",
      "\n\n",
      "not UTF-8 \xff\nhere\n",
  };
  const RoundTrip trip = round_trip(bodies);
  EXPECT_EQ(trip.bodies, bodies) << trip.text;
  EXPECT_FALSE(contains(trip.text, "body: |")) << trip.text;
}

TEST(Recording, BlockScalarHeaderSaysWhichBodiesAreBlocks) {
  EXPECT_EQ(block_scalar_header("a\nb"), "|-");
  EXPECT_EQ(block_scalar_header("a\nb\n"), "|");
  EXPECT_EQ(block_scalar_header("a\nb\n\n"), "|+");
  EXPECT_EQ(block_scalar_header("\nafter an empty line\n"), "|");
  EXPECT_EQ(block_scalar_header("a"), std::nullopt);
  EXPECT_EQ(block_scalar_header("a\n"), "|");
  EXPECT_EQ(block_scalar_header(""), std::nullopt);
  EXPECT_EQ(block_scalar_header("\tfirst\nline\n"), std::nullopt);
  EXPECT_EQ(block_scalar_header("nel\xc2\x85here\n"), std::nullopt);
  EXPECT_EQ(block_scalar_header("ls\xe2\x80\xa8here\n"), std::nullopt);
}

}  // namespace
}  // namespace opr::packtest
