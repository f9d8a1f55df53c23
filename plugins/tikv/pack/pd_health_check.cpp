// pd_health: PD's members healthy, a leader, a quorum (README.md, "Rules").
// Two PD requests per run, whatever the number of stores or members.
#include <simdjson.h>

#include <string>
#include <utility>
#include <vector>

#include "checks.h"
#include "pd_members.h"
#include "sources.h"
#include "url.h"

namespace opr::tikv {
namespace {

constexpr const char* kMembersPath = "/pd/api/v1/members";
constexpr const char* kHealthPath = "/pd/api/v1/health";

// Without it a follower forwards the request to the leader, and while PD
// has none it answers 503 "no leader" (pkg/utils/apiutil/serverapi
// redirector): with it the member asked answers itself, so a PD without a
// leader reads as one (a violation), not as a PD that could not be asked.
std::vector<std::pair<std::string, std::string>> follower_may_answer() {
  return {{"PD-Allow-follower-handle", "true"}};
}

// GET `path` and parse it with `parse`; an unusable answer fails the run,
// naming the request.
template <typename Parse>
auto read_pd(const TikvTarget& target, sdk::Run& run, const char* path, Parse&& parse) {
  const sdk::HttpResponse response = get_pd(target, run, path, follower_may_answer());
  try {
    return parse(response.body());
  } catch (const ResponseError& e) {
    throw sdk::CheckFailed("PD GET " + redact_url(target.pd_endpoint() + path) +
                           " gave an unusable answer: " + e.what());
  }
}

}  // namespace

void PdHealthCheck::run(TikvTarget& target, sdk::Run& run) {
  // Small answers (a few hundred bytes per member): read whole, in place in
  // the host's padded buffer.
  simdjson::ondemand::parser parser;
  const PdMembers members = read_pd(target, run, kMembersPath, [&](std::string_view body) {
    return parse_pd_members(parser, body, OP_HTTP_BODY_PADDING);
  });
  const std::vector<PdMemberHealth> health = read_pd(
      target, run, kHealthPath,
      [&](std::string_view body) { return parse_pd_health(parser, body, OP_HTTP_BODY_PADDING); });
  const PdHealthEvaluation result = evaluate_pd_health(members, health);
  if (result.failure) {
    throw sdk::CheckFailed("PD GET " + redact_url(target.pd_endpoint() + kHealthPath) + ": " +
                           *result.failure);
  }
  run.fact(sdk::Fact::integer("members_total", static_cast<int64_t>(result.members_total)));
  run.fact(sdk::Fact::integer("members_healthy", static_cast<int64_t>(result.members_healthy)));
  run.fact(sdk::Fact::text("leader", result.leader));
  report(run, result.violations);
}

}  // namespace opr::tikv
