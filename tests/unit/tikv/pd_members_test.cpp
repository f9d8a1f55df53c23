#include "pd_members.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "fixture.h"
#include "test_support.h"

namespace opr::tikv {
namespace {

using opr::test::contains;
using test::fixture;

PdMembers members_of(const std::string& body) {
  simdjson::ondemand::parser parser;
  return parse_pd_members(parser, body);
}

std::vector<PdMemberHealth> health_of(const std::string& body) {
  simdjson::ondemand::parser parser;
  return parse_pd_health(parser, body);
}

// The fixture's health answer with member `name` marked unhealthy.
std::string health_with_unhealthy(std::string body, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    const size_t at = body.find("\"name\": \"" + name + "\"");
    const size_t health = body.find("\"health\": true", at);
    body.replace(health, 14, "\"health\": false");
  }
  return body;
}

// The fixture's members answer without "leader" and "etcd_leader", as PD
// writes it when it has no leader (both are omitempty).
std::string members_without_leader() {
  std::string body = fixture("pd/pd_members.json");
  return body.substr(0, body.find(",\n  \"leader\"")) + "\n}\n";
}

std::map<std::string, std::string> messages(const PdHealthEvaluation& result) {
  std::map<std::string, std::string> out;
  for (const Violation& v : result.violations) out[v.subject] = v.message;
  return out;
}

std::map<std::string, std::string> facts(const Violation& v) {
  std::map<std::string, std::string> out;
  for (const Fact& f : v.facts) out[f.key] = f.value;
  return out;
}

// The ResponseError's text, or "" when the body parsed.
template <typename Parse>
std::string error_of(Parse&& parse) {
  try {
    parse();
  } catch (const ResponseError& e) {
    return e.what();
  }
  return "";
}

TEST(PdMembers, FixtureHasThreeMembersAndTheLeaderWithExactIds) {
  const PdMembers members = members_of(fixture("pd/pd_members.json"));
  ASSERT_EQ(members.members.size(), 3u);
  EXPECT_EQ(members.members[2].name, "pd-10.0.1.3-2379");
  EXPECT_EQ(members.members[2].member_id, 16025463171437452250u);  // above INT64_MAX
  EXPECT_EQ(members.members[2].client_urls, std::vector<std::string>{"http://10.0.1.3:2379"});
  ASSERT_TRUE(members.leader);
  EXPECT_EQ(members.leader->name, "pd-10.0.1.2-2379");
  EXPECT_EQ(members.leader->member_id, 11592864702134592711u);
  ASSERT_TRUE(members.etcd_leader);
  EXPECT_EQ(members.etcd_leader->name, "pd-10.0.1.2-2379");
}

TEST(PdMembers, FixtureHealthListsEveryMemberHealthy) {
  const auto health = health_of(fixture("pd/pd_health.json"));
  ASSERT_EQ(health.size(), 3u);
  for (const PdMemberHealth& h : health) EXPECT_TRUE(h.healthy) << h.member.name;
  EXPECT_EQ(health[0].member.member_id, 3474484975246189105u);
  EXPECT_EQ(health[1].member.client_urls, std::vector<std::string>{"http://10.0.1.2:2379"});
}

TEST(PdMembers, NoLeaderReadsAsNoneWhetherLeftOutNullOrEmpty) {
  EXPECT_FALSE(members_of(members_without_leader()).leader);
  EXPECT_FALSE(members_of(members_without_leader()).etcd_leader);
  EXPECT_EQ(members_of(members_without_leader()).members.size(), 3u);
  EXPECT_FALSE(members_of(R"({"members": [], "leader": null})").leader);
  EXPECT_FALSE(members_of(R"({"leader": {}})").leader);
  EXPECT_TRUE(members_of(R"({"leader": {"name": "a", "member_id": 1}})").leader);
  // A member without a name yet (added, never started) and null lists.
  const PdMembers odd = members_of(R"({"members": [{"member_id": 7, "client_urls": null}]})");
  ASSERT_EQ(odd.members.size(), 1u);
  EXPECT_EQ(odd.members[0].name, "");
  EXPECT_TRUE(odd.members[0].client_urls.empty());
}

TEST(PdMembers, MalformedAnswersAreRefusedSayingWhy) {
  EXPECT_TRUE(
      contains(error_of([] { members_of("{\"members\": [{\"name\": \"a\""); }), "malformed JSON"));
  EXPECT_TRUE(contains(error_of([] { members_of(""); }), "malformed JSON"));
  EXPECT_TRUE(contains(error_of([] { members_of("not json"); }), "malformed JSON"));
  EXPECT_EQ(error_of([] { members_of("\"[PD:cluster:ErrNotBootstrapped]not bootstrapped\"\n"); }),
            "expected PD's member list, got a JSON string: \"[PD:cluster:ErrNotBootstrapped]not "
            "bootstrapped\"");
  EXPECT_EQ(error_of([] { members_of(R"({"members": [{"name": "a"}]})"); }),
            "members[0] has no member_id");
  EXPECT_EQ(error_of([] { members_of(R"({"leader": {"name": "a"}})"); }),
            "leader has no member_id");
  EXPECT_TRUE(
      contains(error_of([] { members_of(R"({"members": {"name": "a"}})"); }), "malformed JSON"));
  EXPECT_TRUE(contains(error_of([] { members_of(R"({"members": [{"member_id": -1}]})"); }),
                       "malformed JSON"));
  EXPECT_EQ(
      error_of([] {
        members_of(R"({"header": {"cluster_id": 1, "error": {"type": 1, "message": "boom"}}})");
      }),
      "PD's answer carries an error: boom");
  EXPECT_EQ(error_of([] { members_of("{} {}"); }), "unexpected content after PD's member list");
  EXPECT_TRUE(contains(error_of([] { members_of("[]"); }), "malformed JSON"));
}

TEST(PdMembers, MalformedHealthAnswersAreRefusedSayingWhy) {
  EXPECT_EQ(error_of([] { health_of(R"({"name": "a"})"); }),
            "expected PD's member health list (a JSON array), got a JSON object");
  EXPECT_EQ(error_of([] { health_of("\"no leader\""); }),
            "expected PD's member health list, got a JSON string: \"no leader\"");
  EXPECT_EQ(error_of([] { health_of(R"([{"name": "a", "member_id": 1}])"); }),
            "health[0] (member a) has no health");
  EXPECT_EQ(error_of([] { health_of(R"([{"name": "a", "health": true}])"); }),
            "health[0] has no member_id");
  EXPECT_TRUE(contains(error_of([] { health_of(R"([{"member_id": 1, "health": "yes"}])"); }),
                       "malformed JSON"));
  EXPECT_TRUE(contains(error_of([] { health_of("[{\"member_id\": 1, \"health\": tr"); }),
                       "malformed JSON"));
  EXPECT_TRUE(contains(error_of([] { health_of("[] x"); }), "malformed JSON"));
  EXPECT_TRUE(
      contains(error_of([] { health_of("no leader\n"); }), "expected PD's member health list"));
  EXPECT_TRUE(health_of("[]").empty());
}

TEST(PdHealth, FixturesAreAHealthyPdWithALeader) {
  const auto result = evaluate_pd_health(members_of(fixture("pd/pd_members.json")),
                                         health_of(fixture("pd/pd_health.json")));
  EXPECT_FALSE(result.failure);
  EXPECT_TRUE(result.violations.empty());
  EXPECT_EQ(result.members_total, 3u);
  EXPECT_EQ(result.members_healthy, 3u);
  EXPECT_EQ(result.leader, "pd-10.0.1.2-2379");
}

TEST(PdHealth, AnUnhealthyMemberIsNamedWithItsClientUrlAndQuorumHolds) {
  const auto result = evaluate_pd_health(
      members_of(fixture("pd/pd_members.json")),
      health_of(health_with_unhealthy(fixture("pd/pd_health.json"), {"pd-10.0.1.3-2379"})));
  EXPECT_EQ(messages(result),
            (std::map<std::string, std::string>{
                {"pd-10.0.1.3-2379",
                 "PD member pd-10.0.1.3-2379 at http://10.0.1.3:2379 is unhealthy"}}));
  EXPECT_EQ(facts(result.violations[0]),
            (std::map<std::string, std::string>{{"name", "pd-10.0.1.3-2379"},
                                                {"member_id", "16025463171437452250"},
                                                {"client_urls", "http://10.0.1.3:2379"},
                                                {"health", "false"}}));
  EXPECT_EQ(result.members_healthy, 2u);
}

TEST(PdHealth, LosingTheQuorumSaysHowManyOfHowMany) {
  const auto result = evaluate_pd_health(
      members_of(fixture("pd/pd_members.json")),
      health_of(health_with_unhealthy(fixture("pd/pd_health.json"),
                                      {"pd-10.0.1.3-2379", "pd-10.0.1.1-2379"})));
  const auto found = messages(result);
  EXPECT_EQ(found.size(), 3u);
  EXPECT_EQ(found.at("quorum"), "PD has 1 of 3 members healthy, fewer than the 2 a quorum needs");
  EXPECT_TRUE(found.count("pd-10.0.1.1-2379"));
  // Members in name order, then the cluster-wide subjects.
  EXPECT_EQ(result.violations[0].subject, "pd-10.0.1.1-2379");
  EXPECT_EQ(result.violations[2].subject, "quorum");
  EXPECT_EQ(facts(result.violations[2]).at("unhealthy_members"),
            "pd-10.0.1.1-2379,pd-10.0.1.3-2379");
  EXPECT_EQ(facts(result.violations[2]).at("quorum"), "2");
}

TEST(PdHealth, APdThatAnswersWithoutALeaderIsAViolationNotAFailure) {
  const auto result = evaluate_pd_health(members_of(members_without_leader()),
                                         health_of(fixture("pd/pd_health.json")));
  EXPECT_FALSE(result.failure);
  EXPECT_EQ(messages(result), (std::map<std::string, std::string>{
                                  {"leader", "PD has no leader (3 of 3 members healthy)"}}));
  EXPECT_EQ(facts(result.violations[0]).at("etcd_leader"), "");
  EXPECT_EQ(result.leader, "");
}

TEST(PdHealth, ExactlyAQuorumHealthyIsNoQuorumViolation) {
  const std::string five = R"([{"name": "a", "member_id": 1, "health": true},
    {"name": "b", "member_id": 2, "health": true}, {"name": "c", "member_id": 3, "health": true},
    {"name": "d", "member_id": 4, "health": false}, {"name": "e", "member_id": 5, "health": false}])";
  const PdMembers leader = members_of(R"({"leader": {"name": "a", "member_id": 1}})");
  const auto three_of_five = evaluate_pd_health(leader, health_of(five));
  EXPECT_EQ(three_of_five.violations.size(), 2u);
  EXPECT_FALSE(messages(three_of_five).count("quorum"));
  EXPECT_EQ(pd_quorum(1), 1u);
  EXPECT_EQ(pd_quorum(2), 2u);
  EXPECT_EQ(pd_quorum(3), 2u);
  EXPECT_EQ(pd_quorum(4), 3u);
  EXPECT_EQ(pd_quorum(5), 3u);
}

TEST(PdHealth, AMemberWithoutANameIsNamedByItsId) {
  const auto result =
      evaluate_pd_health(members_of(R"({"leader": {"name": "a", "member_id": 1}})"),
                         health_of(R"([{"name": "a", "member_id": 1, "health": true},
                                       {"name": "", "member_id": 9, "client_urls": null, "health": false},
                                       {"name": "c", "member_id": 3, "health": true}])"));
  EXPECT_EQ(messages(result),
            (std::map<std::string, std::string>{
                {"member 9", "PD member member 9 (no client URL) is unhealthy"}}));
}

TEST(PdHealth, NoMembersAtAllFailsTheRun) {
  const auto result =
      evaluate_pd_health(members_of(fixture("pd/pd_members.json")), health_of("[]"));
  ASSERT_TRUE(result.failure);
  EXPECT_TRUE(contains(*result.failure, "lists no members")) << *result.failure;
  EXPECT_TRUE(result.violations.empty());
}

}  // namespace
}  // namespace opr::tikv
