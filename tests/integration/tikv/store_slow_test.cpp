// store_slow end to end: tikv-sim's PD store list (each store's
// status.slow_score), the real host and engine in --once runs, tickets read
// as `tickets list` prints them. One tikv-sim (no Prometheus: the check
// reads only PD) serves every test here; each test puts the stores back as
// it found them (Up, slow score 1).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tikv_cluster.h"

namespace opr::test {
namespace {

// The target with store_slow alone, configured by `settings`.
std::string store_slow_only(const TikvCluster& cluster, const std::string& settings) {
  return target_yaml(cluster, "store_slow: {" + settings +
                                  "}\n      store_up: {enabled: false}\n      latency: {enabled: "
                                  "false}\n      disk_space: {enabled: false}\n      pd_health: "
                                  "{enabled: false}");
}

class TikvStoreSlow : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = std::make_unique<TikvCluster>(3, std::vector<std::string>{}, false);
  }
  static void TearDownTestSuite() { cluster_.reset(); }

  void TearDown() override {
    for (int id = 1; id <= 3; ++id) {
      sim().change_store(id, R"({"state_name": "Up", "slow_score": 1})");
    }
  }

  static SimProcess& sim() { return cluster_->sim(); }
  static TikvCluster& cluster() { return *cluster_; }

 private:
  static inline std::unique_ptr<TikvCluster> cluster_;
};

// PD counts a store as slow from 80 (slowStoreThreshold): store 3, exactly
// on it, is slow; store 1, just below, is not.
TEST_F(TikvStoreSlow, ASlowScoreOpensACriticalTicketAfterTheGraceAndResolvesWhenHealed) {
  sim().change_store(2, R"({"slow_score": 95})");
  sim().change_store(3, R"({"slow_score": 80})");
  sim().change_store(1, R"({"slow_score": 79})");
  // A short grace (upstream's for: is 1m, the check's default).
  TikvHost host(store_slow_only(cluster(), "grace: 1s"));

  // Seen, but still inside its grace period: no ticket yet.
  const CommandResult first = host.run_once();
  EXPECT_EQ(first.exit_code, 2) << first.out << first.err;  // CRITICAL
  EXPECT_FALSE(host.cli_ticket("store_slow", "2"));

  std::optional<Json> ticket;
  ASSERT_TRUE(wait_until(
      [&] {
        const CommandResult run = host.run_once();
        return run.exit_code == 2 && (ticket = host.cli_ticket("store_slow", "2")).has_value();
      },
      kPatience, std::chrono::milliseconds(250)));
  EXPECT_EQ((*ticket)["status"], "open");
  EXPECT_EQ((*ticket)["severity"], "critical");
  EXPECT_EQ((*ticket)["message"],
            "Store 2 at 10.0.1.12:20160 is slow (PD's slow score 95, slow from 80)");
  const Json& facts = (*ticket)["metric_snapshot"];
  EXPECT_EQ(facts["slow_score"], 95);
  EXPECT_EQ(facts["threshold"], 80);
  EXPECT_EQ(facts["address"], "10.0.1.12:20160");
  EXPECT_EQ(host.cli_ticket("store_slow", "3").value()["message"],
            "Store 3 at 10.0.1.13:20160 is slow (PD's slow score 80, slow from 80)");
  EXPECT_FALSE(host.cli_ticket("store_slow", "1"));

  // Healed: resolved at the next run.
  sim().change_store(2, R"({"slow_score": 1})");
  sim().change_store(3, R"({"slow_score": 1})");
  const CommandResult healed = host.run_once();
  EXPECT_EQ(healed.exit_code, 0) << healed.out << healed.err;
  EXPECT_EQ(host.cli_ticket("store_slow", "2").value()["status"], "resolved");
  EXPECT_EQ(host.cli_ticket("store_slow", "3").value()["status"], "resolved");
}

TEST_F(TikvStoreSlow, TheThresholdIsAParameter) {
  sim().change_store(2, R"({"slow_score": 95})");
  TikvHost host(store_slow_only(cluster(), "threshold: 96"));
  const CommandResult run = host.run_once();
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
}

// A store PD gives no score, or one that stopped heartbeating (its score is
// the last heartbeat's), is unknown: its open ticket stays as it is. No
// score on any running store fails the run, never passes it.
TEST_F(TikvStoreSlow, StoresWithoutAScoreOrStoppedAreUnknownAndNoScoreAtAllFails) {
  sim().change_store(2, R"({"slow_score": 95})");
  TikvHost host(store_slow_only(cluster(), "grace: 0s"));
  const CommandResult opened = host.run_once();
  EXPECT_EQ(opened.exit_code, 2) << opened.out << opened.err;
  ASSERT_EQ(host.cli_ticket("store_slow", "2").value()["status"], "open");

  sim().change_store(2, R"({"slow_score": 0})");
  const CommandResult unscored = host.run_once();
  EXPECT_EQ(host.cli_ticket("store_slow", "2").value()["status"], "open") << unscored.out;
  EXPECT_TRUE(contains(unscored.out + unscored.err, "PD gives store 2 no slow score"))
      << unscored.out << unscored.err;

  sim().change_store(2, R"({"slow_score": 1, "state_name": "Disconnected"})");
  const CommandResult stopped = host.run_once();
  EXPECT_EQ(host.cli_ticket("store_slow", "2").value()["status"], "open") << stopped.out;

  sim().change_store(2, R"({"state_name": "Up"})");
  for (int id = 1; id <= 3; ++id) sim().change_store(id, R"({"slow_score": 0})");
  const CommandResult failed = host.run_once();
  EXPECT_EQ(failed.exit_code, 3) << failed.out << failed.err;
  EXPECT_TRUE(contains(failed.out,
                       "FAILED t/store_slow: PD's store list gives none of the 3 Up or Offline "
                       "stores a slow score"))
      << failed.out;
  EXPECT_EQ(host.cli_ticket("store_slow", "2").value()["status"], "open");
}

}  // namespace
}  // namespace opr::test
