// The warning a monitor logs at start and at reload when open tickets
// belong to checks its config no longer runs: nothing will resolve them.
#include "engine/unwatched_tickets.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opr::engine {
namespace {

tickets::OpenTicketCount open(const std::string& target, const std::string& check,
                              int64_t count = 1, const std::string& severity = "critical") {
  return {target, check, severity, count};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const EnabledChecks kConfig = {{"tikv", {"store_up", "latency"}}, {"idle", {}}};

TEST(UnwatchedTickets, TicketsOfEnabledChecksNeedNoWord) {
  EXPECT_EQ(
      unwatched_tickets_warning(kConfig, {open("tikv", "store_up", 3),
                                          open("tikv", "latency:failed"), open("tikv", ":failed")}),
      "");
  EXPECT_EQ(unwatched_tickets_warning(kConfig, {}), "");
}

TEST(UnwatchedTickets, NamesEachCheckNoRunReachesWithItsCountAndWhy) {
  const std::string warning = unwatched_tickets_warning(
      kConfig, {open("tikv", "store_up"), open("tikv", "disk_space", 2, "warning"),
                open("tikv", "disk_space", 1, "critical"), open("tikv", "region_health:failed"),
                open("old", "store_up", 4), open("idle", ":failed")});
  EXPECT_TRUE(contains(warning, "9 open tickets belong to checks this config does not run"))
      << warning;
  EXPECT_TRUE(contains(warning, "tikv/disk_space (3, the check is disabled or not in the config)"))
      << warning;
  EXPECT_TRUE(contains(warning, "tikv/region_health:failed (1, the check is disabled")) << warning;
  EXPECT_TRUE(contains(warning, "old/store_up (4, the target is not in the config)")) << warning;
  EXPECT_TRUE(contains(warning, "idle/:failed (1, every check of the target is disabled)"))
      << warning;
  EXPECT_FALSE(contains(warning, "tikv/store_up")) << warning;
  EXPECT_TRUE(contains(warning, "operator-host tickets resolve")) << warning;
}

TEST(UnwatchedTickets, OneTicketIsSaidInTheSingular) {
  EXPECT_TRUE(contains(unwatched_tickets_warning(kConfig, {open("old", "x")}),
                       "1 open ticket belongs to checks"));
}

TEST(UnwatchedTickets, ALongListNamesTheFirstAndCountsTheRest) {
  std::vector<tickets::OpenTicketCount> rows;
  for (int i = 0; i < 15; ++i) rows.push_back(open("gone" + std::to_string(100 + i), "probe"));
  const std::string warning = unwatched_tickets_warning(kConfig, rows, 10);
  EXPECT_TRUE(contains(warning, "15 open tickets")) << warning;
  EXPECT_TRUE(contains(warning, "gone109/probe")) << warning;
  EXPECT_FALSE(contains(warning, "gone110/probe")) << warning;
  EXPECT_TRUE(contains(warning, "and 5 more")) << warning;
}

}  // namespace
}  // namespace opr::engine
