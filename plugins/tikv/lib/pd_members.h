// PD's own health: its members (GET /pd/api/v1/members) and their health
// (GET /pd/api/v1/health), read with simdjson On-Demand, and the pd_health
// invariant over them as a pure function. No I/O, no ABI.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "evaluation.h"
#include "json_body.h"

namespace opr::tikv {

// One PD member as /members or /health names it. A member added to etcd
// but never started has no name and no client URL.
struct PdMember {
  uint64_t member_id = 0;  // may exceed INT64_MAX: never a double
  std::string name;
  std::vector<std::string> client_urls;
};

// GET /pd/api/v1/members (pdpb.GetMembersResponse). Every field is
// omitempty: PD without a leader leaves "leader" out.
struct PdMembers {
  std::vector<PdMember> members;
  std::optional<PdMember> leader;       // PD's leader; nullopt: none
  std::optional<PdMember> etcd_leader;  // etcd's leader; nullopt: none
};

// One element of GET /pd/api/v1/health: `healthy` is PD's `health`, true
// when the member answered GET <client_url>/pd/api/v1/ping with 200.
struct PdMemberHealth {
  PdMember member;
  bool healthy = false;
};

// The host:port of each of `member`'s client URLs ("http://10.0.1.1:2379"
// -> "10.0.1.1:2379"): PD serves /metrics on its client port, so this is
// the `instance` label Prometheus gives a member's series. URLs without a
// host are left out.
std::vector<std::string> member_instances(const PdMember& member);

// "pd-10.0.1.1-2379", or "member 1234" for a member that has no name yet.
std::string pd_member_subject(const PdMember& member);

// "http://10.0.1.1:2379, http://10.0.2.1:2379".
std::string pd_member_urls(const PdMember& member);

// The most members either answer may list: real PD clusters have 3 to 7.
inline constexpr size_t kMaxPdMembers = 1000;

// `padding`: readable bytes after `body` (see JsonBody). Throw
// ResponseError when the body is not the documented answer: malformed
// JSON, a JSON string (PD's error bodies), a member without member_id, a
// /health element without `health`, a header that carries an error, more
// than kMaxPdMembers members, content after the answer.
PdMembers parse_pd_members(simdjson::ondemand::parser& parser, std::string_view body,
                           size_t padding = 0);
std::vector<PdMemberHealth> parse_pd_health(simdjson::ondemand::parser& parser,
                                            std::string_view body, size_t padding = 0);

// pd_health's subjects besides the members' names.
inline constexpr const char* kPdLeaderSubject = "leader";
inline constexpr const char* kPdQuorumSubject = "quorum";

struct PdHealthEvaluation {
  // Each unhealthy member (subject: its name), "leader" when PD has none,
  // "quorum" when fewer than a majority of the members are healthy.
  std::vector<Violation> violations;
  size_t members_total = 0;  // /health's members
  size_t members_healthy = 0;
  std::string leader;  // the leader's name, "" when PD has none
  // Set when /health lists no member: no PD answers so, and reading it as
  // healthy would resolve every ticket. violations are then empty.
  std::optional<std::string> failure;
};

// /health is the membership (one element per etcd member, each with its
// health); /members gives the leader. Members are judged by name order, so
// the violations come in a stable order.
PdHealthEvaluation evaluate_pd_health(const PdMembers& members,
                                      const std::vector<PdMemberHealth>& health);

// The smallest majority of `members`: 2 of 3, 3 of 4 or 5.
size_t pd_quorum(size_t members);

}  // namespace opr::tikv
