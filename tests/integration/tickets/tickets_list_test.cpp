// `tickets list` as on-call habits want it, through the real binary and a
// real SQLite file: filters, orders and pages chosen by the database, the
// FLAGS column, output that a pipe never cuts, and colour on request.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "common/time_format.h"
#include "tickets_cli_fixture.h"

namespace {

using opr::test::ProcessOptions;
using Ids = std::vector<int64_t>;

class TicketsList : public opr::test::TicketsCli {
 protected:
  // Four tickets whose orders all differ:
  //   id  severity  subject  first seen  last seen
  //   1   warning   1        1h ago      1h ago
  //   2   critical  2        5h ago      5h ago
  //   3   info      3        3h ago      now (seen again)
  //   4   critical  10       2h ago      2h ago
  void SetUp() override {
    seed_as("warning", "1h", "tikv", "latency", {"1"});
    seed_as("critical", "5h", "tikv", "store_up", {"2"});
    seed_as("info", "3h", "tikv", "region", {"3"});
    seed_as("critical", "2h", "pd", "leader", {"10"});
    seed_as("info", "0s", "tikv", "region", {"3"});
  }
};

TEST_F(TicketsList, EachSortNewestFirstSeverityWorstFirst) {
  EXPECT_EQ(ids_of({"list"}), (Ids{4, 3, 2, 1}));  // the default: id
  EXPECT_EQ(ids_of({"list", "--sort", "id"}), (Ids{4, 3, 2, 1}));
  EXPECT_EQ(ids_of({"list", "--sort", "first-seen"}), (Ids{1, 4, 3, 2}));
  EXPECT_EQ(ids_of({"list", "--sort", "last-seen"}), (Ids{3, 1, 4, 2}));
  // Critical (newest first), warning, info.
  EXPECT_EQ(ids_of({"list", "--sort", "severity"}), (Ids{4, 2, 1, 3}));
}

TEST_F(TicketsList, SeverityMeansThatLevelAndWorse) {
  EXPECT_EQ(ids_of({"list", "--severity", "warning"}), (Ids{4, 2, 1}));
  EXPECT_EQ(ids_of({"list", "--severity", "critical"}), (Ids{4, 2}));
  EXPECT_EQ(ids_of({"list", "--severity", "info"}), (Ids{4, 3, 2, 1}));
}

TEST_F(TicketsList, SinceADurationOrATimeFiltersOnLastSeen) {
  // Last seen within 90 minutes: ticket 1 (1h ago) and ticket 3 (seen again now).
  EXPECT_EQ(ids_of({"list", "--since", "90m"}), (Ids{3, 1}));
  const std::string before = opr::format_utc(opr::now_ms() - std::chrono::minutes(150));
  EXPECT_EQ(ids_of({"list", "--since", before}), (Ids{4, 3, 1}));
  EXPECT_EQ(tickets({"list", "--since", "1ms"}).out, "no open tickets\n");
}

TEST_F(TicketsList, SubjectMatchesExactly) {
  EXPECT_EQ(ids_of({"list", "--subject", "1"}), (Ids{1}));  // not "10"
  EXPECT_EQ(ids_of({"list", "--subject", "10"}), (Ids{4}));
  // A value, never SQL.
  EXPECT_EQ(ids_of({"list", "--subject", "%"}), Ids{});
  EXPECT_EQ(ids_of({"list", "--subject", "1' OR '1'='1"}), Ids{});
}

TEST_F(TicketsList, FiltersCombineWithSortAndPaging) {
  EXPECT_EQ(ids_of({"list", "--severity", "warning", "--target", "tikv", "--sort", "first-seen"}),
            (Ids{1, 2}));
  EXPECT_EQ(ids_of({"list", "--sort", "first-seen", "--limit", "2"}), (Ids{1, 4}));
  EXPECT_EQ(ids_of({"list", "--sort", "first-seen", "--limit", "2", "--offset", "2"}), (Ids{3, 2}));
  EXPECT_EQ(ids_of({"list", "--sort", "first-seen", "--offset", "3"}), (Ids{2}));
  EXPECT_EQ(ids_of({"list", "--offset", "4"}), Ids{});
}

// Tickets of one run share their first and last sight: the id keeps their
// order, so that pages neither repeat nor skip one.
TEST_F(TicketsList, PagesAreStableWhenKeysTie) {
  seed("tikv", "disk", {"a", "b", "c"});  // 5, 6, 7 at one time
  Ids paged;
  for (const char* offset : {"0", "1", "2"}) {
    const Ids page = ids_of({"list", "--target", "tikv", "--check", "disk", "--sort", "last-seen",
                             "--limit", "1", "--offset", offset});
    ASSERT_EQ(page.size(), 1u);
    paged.push_back(page[0]);
  }
  EXPECT_EQ(paged, (Ids{7, 6, 5}));
}

TEST_F(TicketsList, TheFlagsColumnAndJsonListFlags) {
  ASSERT_EQ(tickets({"hold", "2"}).exit_code, 0);
  ASSERT_EQ(
      tickets({"silence", "--target", "pd", "--for", "1h", "--comment", "maintenance"}).exit_code,
      0);
  const auto result = tickets({"list", "--sort", "id"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::istringstream lines(result.out);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 5u) << result.out;
  const size_t flags = rows[0].find("FLAGS");
  ASSERT_NE(flags, std::string::npos) << rows[0];
  EXPECT_EQ(rows[1].substr(flags, 9), "silenced ") << result.out;  // ticket 4, pd
  EXPECT_EQ(rows[2].substr(flags, 2), "- ") << result.out;
  EXPECT_EQ(rows[3].substr(flags, 5), "held ") << result.out;  // ticket 2
  const auto listed = json_of({"list", "--json"});
  EXPECT_EQ(listed[0]["flags"], nlohmann::json({"silenced"}));
  EXPECT_EQ(listed[1]["flags"], nlohmann::json::array());
  EXPECT_EQ(listed[2]["flags"], nlohmann::json({"held"}));
  EXPECT_EQ(listed[2]["held"], true);  // the existing fields stay
}

TEST_F(TicketsList, PipedOutputIsNeverCutAndColumnsIsRespected) {
  const std::string message = "store 7 is Down: " + std::string(300, 'x') + " end of message";
  seed("tikv", "store_up", {"7=" + message});
  auto result = tickets({"list"});  // stdout is a file here, not a terminal
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find(message + "\n"), std::string::npos) << result.out;

  ProcessOptions narrow;
  narrow.env["COLUMNS"] = "100";
  result = tickets({"list"}, narrow);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.find("end of message"), std::string::npos) << result.out;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 100u) << line;
}

TEST_F(TicketsList, ColourOnlyWhenAskedOrOnATerminal) {
  // Not a terminal: no colour unless --color always.
  auto result = tickets({"list"});
  EXPECT_EQ(result.out.find("\x1b["), std::string::npos) << result.out;
  result = host({"--color", "always", "--db", db(), "tickets", "list"});
  EXPECT_NE(result.out.find("\x1b[31mcrit\x1b[0m"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\x1b[33mwarn\x1b[0m"), std::string::npos) << result.out;
  // --color always wins over NO_COLOR; never stays never.
  ProcessOptions no_color;
  no_color.env["NO_COLOR"] = "1";
  result = tickets({"list", "--color", "always"}, no_color);
  EXPECT_NE(result.out.find("\x1b[31m"), std::string::npos) << result.out;
  result = tickets({"list", "--color", "never"});
  EXPECT_EQ(result.out.find("\x1b["), std::string::npos) << result.out;
  // JSON is never coloured.
  result = tickets({"list", "--color", "always", "--json"});
  EXPECT_EQ(result.out.find("\x1b["), std::string::npos) << result.out;
}

}  // namespace
