#include "engine/evaluator.h"

#include <nlohmann/json.hpp>
#include <operator/json_number.hpp>

#include "common/json_output.h"
#include "config/config.h"

namespace opr::engine {

std::string snapshot_json(const std::vector<plugins::Fact>& facts) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& fact : facts) {
    // Checked again here: facts also arrive from runner processes.
    if (fact.is_number && sdk::is_finite_json_number(fact.value)) {
      object[fact.key] = nlohmann::json::parse(fact.value);
    } else {
      object[fact.key] = fact.value;
    }
  }
  // Valid JSON whatever a pack wrote: bytes that are not UTF-8 become U+FFFD.
  return json_output(object);
}

tickets::ObservedViolation observe(const plugins::ReportedViolation& violation,
                                   const config::CheckConfig& check) {
  tickets::ObservedViolation observed;
  observed.subject = violation.subject;
  observed.message = violation.message;
  observed.severity = effective_severity(violation.severity, check.severity);
  observed.metric_snapshot = snapshot_json(violation.facts);
  observed.grace = check.grace;
  return observed;
}

std::string batch_key(std::string_view target, TimePoint cycle_start) {
  std::string key(target);
  key += '@';
  key += format_utc(cycle_start);
  return key;
}

tickets::SuccessfulRun successful_run(const std::string& target, const config::CheckConfig& check,
                                      const plugins::RunResult& result, TimePoint at,
                                      std::string batch_key) {
  tickets::SuccessfulRun run;
  run.target = target;
  run.check = check.name;
  run.at = at;
  run.batch_key = std::move(batch_key);
  run.violations.reserve(result.violations.size());
  for (const auto& violation : result.violations)
    run.violations.push_back(observe(violation, check));
  run.unknown.reserve(result.unknown.size());
  for (const auto& unknown : result.unknown)
    run.unknown.push_back({unknown.subject, unknown.reason});
  run.interval = check.interval;
  return run;
}

}  // namespace opr::engine
