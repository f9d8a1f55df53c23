// A store that keeps going Down and Up: one ticket per cause, reopened each
// time, flagged flapping, and unflagged once it stays quiet.
#include <gtest/gtest.h>

#include <chrono>

#include "tikv_cluster.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kStoreUpOnly =
    "store_up: {}\n      latency: {enabled: false}\n      disk_space: {enabled: false}";

// Each toggle is seen by one --once run Down and one Up, so the count of
// occurrences is exact. The window is short so that its end can be waited
// for; the toggles take well under it.
TEST(TikvStoreFlapping, FourDownUpTogglesAreOneTicketOfFourOccurrencesFlaggedUntilQuiet) {
  TikvCluster cluster(5, {}, false);
  TikvHost host(target_yaml(cluster, kStoreUpOnly));
  write_file(host.config_path(),
             read_file(host.config_path()) + "flapping: {threshold: 3, window: 10s}\n");
  for (int toggle = 0; toggle < 4; ++toggle) {
    cluster.sim().change_store(5, R"({"state_name": "Down"})");
    const CommandResult down = host.run_once();
    ASSERT_EQ(down.exit_code, 2) << down.out << down.err;
    cluster.sim().change_store(5, R"({"state_name": "Up"})");
    const CommandResult up = host.run_once();
    ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  }
  int store_up_tickets = 0;
  for (const Json& t : host.cli_tickets()) store_up_tickets += t["check"] == "store_up" ? 1 : 0;
  EXPECT_EQ(store_up_tickets, 1);
  const Json ticket = host.cli_ticket("store_up", "5").value();
  EXPECT_EQ(ticket["occurrence_count"], 4);
  EXPECT_EQ(ticket["flapping"], true);
  EXPECT_EQ(ticket["status"], "resolved");

  ASSERT_TRUE(wait_until(
      [&] {
        EXPECT_EQ(host.run_once().exit_code, 0);
        return host.cli_ticket("store_up", "5").value()["flapping"] == false;
      },
      60s));
  const std::string id = std::to_string(ticket["id"].get<int64_t>());
  const Json events = Json::parse(host.run({"tickets", "show", id, "--json"}).out)["events"];
  EXPECT_EQ(events.back()["event"], "flapping_cleared");
  EXPECT_FALSE(events.back().contains("to"));
}

}  // namespace
}  // namespace opr::test
