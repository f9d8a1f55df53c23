// The apply result names the tickets a run changed (ApplyOutcome::changes):
// what the monitor's log lines say. Tickets only seen again are not there.
#include <gtest/gtest.h>

#include "store_fixture.h"

namespace opr::tickets::test {
namespace {

using Kind = TicketChange::Kind;

// "opened 1 tikv/4" for each change, to compare whole runs at once.
std::vector<std::string> described(const ApplyOutcome& outcome) {
  std::vector<std::string> lines;
  for (const auto& change : outcome.changes) {
    const char* kind = change.kind == Kind::opened     ? "opened"
                       : change.kind == Kind::reopened ? "reopened"
                                                       : "resolved";
    lines.push_back(std::string(kind) + " " + std::to_string(change.id) + " " + change.check + "/" +
                    change.subject);
  }
  return lines;
}

class ChangesTest : public StoreTest {};
OPR_STORE_BACKENDS(ChangesTest);

TEST_P(ChangesTest, ARunNamesTheTicketsItOpenedAndResolvedButNotThoseSeenAgain) {
  const auto first = store_->apply_success(
      run("tikv", "store_up", at_seconds(0), {violation("2"), violation("5")}));
  const int64_t two = open_ticket("tikv/store_up/2").id;
  const int64_t five = open_ticket("tikv/store_up/5").id;
  EXPECT_EQ(described(first),
            (std::vector<std::string>{"opened " + std::to_string(two) + " store_up/2",
                                      "opened " + std::to_string(five) + " store_up/5"}));
  // 2 is seen again (no change), 5 is healthy (resolved).
  const auto second =
      store_->apply_success(run("tikv", "store_up", at_seconds(30), {violation("2")}));
  EXPECT_EQ(described(second),
            (std::vector<std::string>{"resolved " + std::to_string(five) + " store_up/5"}));
  // 5 comes back within the flapping window: its ticket reopens.
  const auto third = store_->apply_success(
      run("tikv", "store_up", at_seconds(60), {violation("2"), violation("5")}));
  EXPECT_EQ(described(third),
            (std::vector<std::string>{"reopened " + std::to_string(five) + " store_up/5"}));
  // Nothing changes: nothing named.
  const auto fourth = store_->apply_success(
      run("tikv", "store_up", at_seconds(90), {violation("2"), violation("5")}));
  EXPECT_TRUE(fourth.changes.empty());
  EXPECT_EQ(fourth.updated, 2);
}

TEST_P(ChangesTest, TheChecksFailedTicketIsNamedWithItsCheck) {
  store_->apply_failure(failure("tikv", "latency", "PD answered 500", at_seconds(0), 2));
  const auto opened =
      store_->apply_failure(failure("tikv", "latency", "PD answered 500", at_seconds(30), 2));
  const int64_t id = open_ticket("tikv/latency:failed").id;
  EXPECT_EQ(described(opened),
            (std::vector<std::string>{"opened " + std::to_string(id) + " latency:failed/"}));
  const auto resolved = store_->apply_success(run("tikv", "latency", at_seconds(60), {}));
  EXPECT_EQ(described(resolved),
            (std::vector<std::string>{"resolved " + std::to_string(id) + " latency:failed/"}));
}

}  // namespace
}  // namespace opr::tickets::test
