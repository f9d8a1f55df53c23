// The PD-side metric checks' evaluation (pd_metric_rows.h) as a pure
// function: the one query's answer and PD's members in, violations and
// unknown subjects out. No I/O, no ABI.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "evaluation.h"
#include "pd_members.h"
#include "pd_metric_rows.h"
#include "prom_vector.h"

namespace opr::tikv {

// A subject the run could not evaluate: its tickets stay as they are.
struct PdUnknown {
  std::string subject;
  std::string reason;
};

struct PdMetricEvaluation {
  std::vector<Violation> violations;  // conditions in row order, members by name
  std::vector<PdUnknown> unknown;     // the same order
  size_t subjects_evaluated = 0;      // healthy or violated
  size_t unmatched_series = 0;        // member series whose instance is no member's client URL
  std::string unmatched_example;      // one such instance
  // Set when nothing could be evaluated (every subject unknown, or PD lists
  // no member for a row that reads members), saying why: the run must then
  // fail, never pass. violations and unknown are then empty.
  std::optional<std::string> failure;
};

// A condition's subject: its key for the cluster-wide scopes; for kMember the
// member's name, followed by ":<key>" when the row has several conditions
// ("pd-10.0.1.1-2379:wal-fsync").
std::string pd_condition_subject(const PdMetricRow& row, const PdCondition& condition,
                                 const PdMember* member);

// Evaluates `samples` (the answer to pd_metric_query(), tagged by the
// `condition` label) with `thresholds[i]` for row.conditions[i] and
// `windows` as given to the query. `members` is PD's member list, read only
// when reads_members(row). Rules (README.md): strictly above the threshold
// (exceeds()) is a violation; +Inf is one; NaN is healthy for nan_is_idle
// conditions and makes the subject unknown otherwise, as do -Inf and
// negative values; a member without a series is unknown, never healthy; a
// leader-only or cluster-wide condition without a series makes its subject
// unknown (of several leader series, the largest value counts).
PdMetricEvaluation evaluate_pd_metric(const PdMetricRow& row, const std::vector<Sample>& samples,
                                      std::span<const double> thresholds,
                                      std::span<const std::chrono::milliseconds> windows,
                                      const std::vector<PdMember>& members);

}  // namespace opr::tikv
