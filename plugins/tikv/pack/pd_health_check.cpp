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

constexpr const char* kHealthPath = "/pd/api/v1/health";

}  // namespace

void PdHealthCheck::run(TikvTarget& target, sdk::Run& run) {
  // The member list is remembered for the PD metric checks (sources.h).
  const std::shared_ptr<const PdMembers> members = fetch_members(target, run);
  // Small answers (a few hundred bytes per member): read whole, in place in
  // the host's padded buffer. Asked only once /members was usable.
  const sdk::HttpResponse response = get_pd(target, run, kHealthPath, follower_may_answer());
  std::vector<PdMemberHealth> health;
  try {
    simdjson::ondemand::parser parser;
    health = parse_pd_health(parser, response.body(), OP_HTTP_BODY_PADDING);
  } catch (const ResponseError& e) {
    throw sdk::CheckFailed("PD GET " + redact_url(target.pd_endpoint() + kHealthPath) +
                               " gave an unusable answer: " + e.what(),
                           pd_cause(target));
  }
  const PdHealthEvaluation result = evaluate_pd_health(*members, health);
  if (result.failure) {
    throw sdk::CheckFailed(
        "PD GET " + redact_url(target.pd_endpoint() + kHealthPath) + ": " + *result.failure,
        pd_cause(target));
  }
  run.fact(sdk::Fact::integer("members_total", static_cast<int64_t>(result.members_total)));
  run.fact(sdk::Fact::integer("members_healthy", static_cast<int64_t>(result.members_healthy)));
  run.fact(sdk::Fact::text("leader", result.leader));
  report(run, result.violations);
}

}  // namespace opr::tikv
