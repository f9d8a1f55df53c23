// PD's /members and /health answers: any bytes give a parsed answer or a
// ResponseError from each parser, within kMaxPdMembers, and what parses
// evaluates without failing unless /health listed no member.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "json_body.h"
#include "pd_members.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace opr::tikv;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  // Reused across inputs, as one run reuses its parser for both answers.
  static simdjson::ondemand::parser* parser = new simdjson::ondemand::parser();
  std::optional<PdMembers> members;
  try {
    members = parse_pd_members(*parser, body);
    if (members->members.size() > kMaxPdMembers) __builtin_trap();
  } catch (const ResponseError&) {
  }
  try {
    const std::vector<PdMemberHealth> health = parse_pd_health(*parser, body);
    if (health.size() > kMaxPdMembers) __builtin_trap();
    const PdHealthEvaluation result = evaluate_pd_health(members.value_or(PdMembers{}), health);
    if (result.failure.has_value() != health.empty()) __builtin_trap();
    if (result.members_healthy > result.members_total) __builtin_trap();
  } catch (const ResponseError&) {
  }
  return 0;
}
