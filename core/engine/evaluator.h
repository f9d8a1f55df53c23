// Turning what a pack reported into what the ticket store records: severity,
// metric snapshot, grace and the batch key of a cycle.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/severity.h"
#include "common/time_format.h"
#include "plugins/pack_instance.h"
#include "tickets/ticket_store.h"

namespace opr::config {
struct CheckConfig;
}

namespace opr::engine {

// A JSON object of the facts, numbers as numbers ("150.2" with is_number ->
// 150.2); a fact whose number is not a finite JSON number (json_number.hpp)
// is kept as text. Later facts with the same key win.
std::string snapshot_json(const std::vector<plugins::Fact>& facts);

// What the store needs to know about one reported violation.
tickets::ObservedViolation observe(const plugins::ReportedViolation& violation,
                                   const config::CheckConfig& check);

// "<target>@<cycle start, UTC ISO 8601>": violations first seen by the runs
// of one target that started in the same cycle share it.
std::string batch_key(std::string_view target, TimePoint cycle_start);

// The store's view of a successful run: violations with their grace, the
// subjects it could not see, and the check's interval (how long a subject
// stays unknown before its ticket is marked).
tickets::SuccessfulRun successful_run(const std::string& target, const config::CheckConfig& check,
                                      const plugins::RunResult& result, TimePoint at,
                                      std::string batch_key);

}  // namespace opr::engine
