// pd_health end to end: tikv-sim's PD (members, health, leader), the real
// host and engine in --once runs, tickets read as `tickets list` prints them.
// One tikv-sim serves every test here: each test puts PD back as it found it
// (three healthy members, pd-10.0.1.2-2379 leading, mode ok).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tikv_cluster.h"
#include "tikv_instance.h"

namespace opr::test {
namespace {

constexpr const char* kPdHealthOnly =
    "pd_health: {timeout: 1s}\n      store_up: {enabled: false}\n      latency: {enabled: "
    "false}\n      disk_space: {enabled: false}\n      store_slow: {enabled: false}";
constexpr const char* kLeader = "pd-10.0.1.2-2379";
constexpr const char* kMember1 = "pd-10.0.1.1-2379";
constexpr const char* kMember3 = "pd-10.0.1.3-2379";

class TikvPdHealth : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = std::make_unique<TikvCluster>(3, std::vector<std::string>{}, false);
  }
  static void TearDownTestSuite() { cluster_.reset(); }

  void TearDown() override {
    sim().set_pd_mode("ok");
    sim().set_pd_leader(std::string(kLeader));
    for (const char* name : {kMember1, kLeader, kMember3}) sim().set_pd_member_health(name, true);
  }

  static SimProcess& sim() { return cluster_->sim(); }
  static TikvCluster& cluster() { return *cluster_; }

  // The ticket of pd_health for `subject`, which must exist.
  static Json ticket(const TikvHost& host, const std::string& subject) {
    const auto found = host.cli_ticket("pd_health", subject);
    EXPECT_TRUE(found) << "no pd_health ticket for " << subject;
    return found.value_or(Json::object());
  }

 private:
  static std::unique_ptr<TikvCluster> cluster_;
};

std::unique_ptr<TikvCluster> TikvPdHealth::cluster_;

TEST_F(TikvPdHealth, AHealthyPdWithALeaderIsNoTicketAndTakesTwoPdRequests) {
  TikvHost host(target_yaml(cluster(), kPdHealthOnly));
  const uint64_t before = sim().pd_requests();
  const CommandResult run = host.run_once();
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(sim().pd_requests() - before, 2u);
  EXPECT_TRUE(host.cli_tickets().empty());

  TikvInstance instance(target_yaml(cluster(), kPdHealthOnly));
  const plugins::RunResult result = instance.run("pd_health");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(fact(result, "members_total"), "3");
  EXPECT_EQ(fact(result, "members_healthy"), "3");
  EXPECT_EQ(fact(result, "leader"), kLeader);
}

TEST_F(TikvPdHealth, AnUnhealthyMemberOpensACriticalTicketNamingItAndResolvesWhenHealed) {
  TikvHost host(target_yaml(cluster(), kPdHealthOnly));
  sim().set_pd_member_health(kMember3, false);
  const CommandResult sick = host.run_once();
  EXPECT_EQ(sick.exit_code, 2) << sick.out << sick.err;
  const Json opened = ticket(host, kMember3);
  EXPECT_EQ(opened["status"], "open");
  EXPECT_EQ(opened["severity"], "critical");
  EXPECT_EQ(opened["message"], "PD member pd-10.0.1.3-2379 at http://10.0.1.3:2379 is unhealthy");
  EXPECT_EQ(opened["metric_snapshot"]["client_urls"], "http://10.0.1.3:2379");
  // Two of three healthy: a quorum, and the leader is there.
  EXPECT_FALSE(host.cli_ticket("pd_health", "quorum"));
  EXPECT_FALSE(host.cli_ticket("pd_health", "leader"));

  sim().set_pd_member_health(kMember3, true);
  const CommandResult healed = host.run_once();
  EXPECT_EQ(healed.exit_code, 0) << healed.out << healed.err;
  EXPECT_EQ(ticket(host, kMember3)["status"], "resolved");
}

TEST_F(TikvPdHealth, APdWithoutALeaderIsACriticalTicketNotAFailedRun) {
  TikvHost host(target_yaml(cluster(), kPdHealthOnly));
  sim().set_pd_leader(std::nullopt);
  // Asked without PD-Allow-follower-handle, this PD would answer 503.
  EXPECT_EQ(sim().get("/pd/api/v1/members").status, 503);
  const CommandResult leaderless = host.run_once();
  EXPECT_EQ(leaderless.exit_code, 2) << leaderless.out << leaderless.err;
  const Json opened = ticket(host, "leader");
  EXPECT_EQ(opened["status"], "open");
  EXPECT_EQ(opened["severity"], "critical");
  EXPECT_EQ(opened["message"], "PD has no leader (3 of 3 members healthy)");
  EXPECT_FALSE(host.cli_ticket("pd_health:failed"));

  sim().set_pd_leader(std::string(kMember1));
  const CommandResult elected = host.run_once();
  EXPECT_EQ(elected.exit_code, 0) << elected.out << elected.err;
  EXPECT_EQ(ticket(host, "leader")["status"], "resolved");
}

TEST_F(TikvPdHealth, ALeaderChangeIsNoViolationAndTheRunNamesTheNewLeader) {
  TikvInstance instance(target_yaml(cluster(), kPdHealthOnly));
  ASSERT_EQ(fact(instance.run("pd_health"), "leader"), kLeader);
  sim().set_pd_leader(std::string(kMember3));
  const plugins::RunResult after = instance.run("pd_health");
  ASSERT_TRUE(after.ok) << after.error;
  EXPECT_TRUE(after.violations.empty());
  EXPECT_EQ(fact(after, "leader"), kMember3);
}

TEST_F(TikvPdHealth, LosingTheQuorumSaysHowManyOfHowManyAndResolvesWhenBack) {
  TikvHost host(target_yaml(cluster(), kPdHealthOnly));
  sim().set_pd_member_health(kMember1, false);
  sim().set_pd_member_health(kMember3, false);
  const CommandResult lost = host.run_once();
  EXPECT_EQ(lost.exit_code, 2) << lost.out << lost.err;
  const Json quorum = ticket(host, "quorum");
  EXPECT_EQ(quorum["severity"], "critical");
  EXPECT_EQ(quorum["message"], "PD has 1 of 3 members healthy, fewer than the 2 a quorum needs");
  EXPECT_EQ(quorum["metric_snapshot"]["members_healthy"], 1);
  EXPECT_EQ(quorum["metric_snapshot"]["members_total"], 3);
  EXPECT_EQ(ticket(host, kMember1)["status"], "open");
  EXPECT_EQ(ticket(host, kMember3)["status"], "open");

  sim().set_pd_member_health(kMember1, true);
  const CommandResult back = host.run_once();
  EXPECT_EQ(back.exit_code, 2) << back.out << back.err;  // member 3 is still unhealthy
  EXPECT_EQ(ticket(host, "quorum")["status"], "resolved");
  EXPECT_EQ(ticket(host, kMember1)["status"], "resolved");
  EXPECT_EQ(ticket(host, kMember3)["status"], "open");
}

// PD's failures fail the run: never ok, and what is open stays open.
TEST_F(TikvPdHealth, AnErroringGarbledOrHangingPdFailsTheRunAndResolvesNothing) {
  TikvHost host(target_yaml(cluster(), kPdHealthOnly));
  sim().set_pd_member_health(kMember3, false);
  ASSERT_EQ(host.run_once().exit_code, 2);
  sim().set_pd_member_health(kMember3, true);  // healed, but nobody can see it

  const std::string request =
      "FAILED t/pd_health: PD GET " + cluster().pd_url() + "/pd/api/v1/members";
  struct Case {
    const char* mode;
    std::string expected;
  };
  for (const Case& c :
       {Case{"error", request + " answered HTTP 500: [PD:cluster:ErrNotBootstrapped]"},
        Case{"garbage", request + " gave an unusable answer: malformed JSON"},
        Case{"hang", "timed out"}}) {
    SCOPED_TRACE(c.mode);
    sim().set_pd_mode(c.mode);
    const CommandResult failed = host.run_once();
    EXPECT_EQ(failed.exit_code, 3) << failed.out << failed.err;
    EXPECT_TRUE(contains(failed.out, "FAILED t/pd_health: ")) << failed.out;
    EXPECT_TRUE(contains(failed.out, c.expected)) << failed.out;
    EXPECT_EQ(ticket(host, kMember3)["status"], "open");
  }
  sim().set_pd_mode("ok");
  EXPECT_EQ(host.run_once().exit_code, 0);
  EXPECT_EQ(ticket(host, kMember3)["status"], "resolved");
}

}  // namespace
}  // namespace opr::test
