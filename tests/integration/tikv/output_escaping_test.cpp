// Whoever answers as PD cannot write on an operator's terminal: a store
// address with control characters in it, as tikv-sim serves it in PD's real
// format, is stored as it came, shown escaped by --once, `tickets list` and
// `tickets show`, and given back exactly by --json. (Such text in the log,
// from any pack, is engine/output_escaping_test.cpp's.)
#include <gtest/gtest.h>

#include <string>

#include "tikv_cluster.h"

namespace opr::test {
namespace {

// ESC [2J (clear the screen), red, reset, BEL.
const std::string kHostile = "\x1b[2J\x1b[31mPWNED\x1b[0m\a";
// The same as PD's JSON (Go's encoding/json) writes it.
const std::string kHostileJson = R"(\u001b[2J\u001b[31mPWNED\u001b[0m\u0007)";
// The same as a terminal is shown it.
const std::string kShown = R"(\x1b[2J\x1b[31mPWNED\x1b[0m\x07)";

constexpr const char* kStoreUpOnly =
    "store_up: {}\n      latency: {enabled: false}\n      disk_space: {enabled: false}";

TEST(TikvOutputEscaping, AHostileStoreAddressIsEscapedByEveryTextCommandAndExactInJson) {
  TikvCluster cluster(3, {}, false);
  cluster.sim().change_store(2, R"({"state_name": "Down", "address": ")" + kHostileJson + R"("})");
  TikvHost host(target_yaml(cluster, kStoreUpOnly));
  const std::string message = "Store 2 at " + kHostile + " is Down";
  const std::string shown = "Store 2 at " + kShown + " is Down";

  // --once, its log (at debug) included.
  const CommandResult once = host.run_once();
  EXPECT_EQ(once.exit_code, 2) << once.out << once.err;
  EXPECT_EQ(raw_terminal_control(once.out), "") << once.out;
  EXPECT_EQ(raw_terminal_control(once.err), "") << once.err;
  EXPECT_TRUE(contains(once.out, "VIOLATION t/store_up: 2: " + shown + " (critical)\n"))
      << once.out;

  // --json: the exact bytes, as valid JSON with \u escapes.
  const CommandResult list_json = host.run({"tickets", "list", "--json"});
  ASSERT_EQ(list_json.exit_code, 0) << list_json.err;
  EXPECT_EQ(raw_terminal_control(list_json.out), "");
  EXPECT_TRUE(contains(list_json.out, kHostileJson)) << list_json.out;
  const Json ticket = host.cli_ticket("store_up", "2").value();
  EXPECT_EQ(ticket["message"], message);
  EXPECT_EQ(ticket["metric_snapshot"]["address"], kHostile);
  const std::string id = std::to_string(ticket["id"].get<int64_t>());
  const CommandResult show_json = host.run({"tickets", "show", id, "--json"});
  ASSERT_EQ(show_json.exit_code, 0) << show_json.err;
  EXPECT_EQ(raw_terminal_control(show_json.out), "");
  const Json shown_json = Json::parse(show_json.out);
  EXPECT_EQ(shown_json["message"], message);
  EXPECT_EQ(shown_json["metric_snapshot"]["address"], kHostile);

  // The table and the details page.
  ProcessOptions wide;
  wide.env["COLUMNS"] = "200";  // the message is not cut
  const CommandResult list = host.run({"tickets", "list"}, wide);
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(raw_terminal_control(list.out), "") << list.out;
  EXPECT_TRUE(contains(list.out, shown + "\n")) << list.out;
  const CommandResult show = host.run({"tickets", "show", id});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(raw_terminal_control(show.out), "") << show.out;
  EXPECT_TRUE(contains(show.out, "message         " + shown + "\n")) << show.out;
  EXPECT_TRUE(contains(show.out, "\"address\": \"" + kHostileJson + "\"")) << show.out;
  EXPECT_EQ(count_occurrences(show.out, shown + "\n"), 2) << show.out;  // and the timeline
}

}  // namespace
}  // namespace opr::test
