#include "pd_metric_checks.h"

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "checks.h"
#include "pd_metric_evaluation.h"
#include "pd_metric_rows.h"
#include "sources.h"

namespace opr::tikv {
namespace {

void run_pd_metric(const PdMetricRow& row, TikvTarget& target, sdk::Run& run) {
  // The pack's table bounds every parameter: the host refuses values
  // outside them before anything runs.
  std::vector<double> thresholds;
  for (const PdCondition& c : row.conditions)
    thresholds.push_back(run.params().number(std::string(c.threshold_param).c_str()));
  std::vector<std::chrono::milliseconds> windows;
  for (const PdWindow& w : row.windows)
    windows.push_back(run.params().duration(std::string(w.param).c_str()));
  // Only rows with per-member conditions need PD's members (shared with
  // pd_health); the others make no PD request at all.
  std::shared_ptr<const PdMembers> members;
  if (reads_members(row)) members = recent_members(target, run);
  const std::vector<Sample> samples = query_prometheus(target, run, pd_metric_query(row, windows));
  const PdMetricEvaluation result = evaluate_pd_metric(
      row, samples, thresholds, windows, members ? members->members : std::vector<PdMember>{});
  if (members) {
    run.fact(sdk::Fact::integer("members", static_cast<int64_t>(members->members.size())));
  }
  if (result.unmatched_series > 0) {
    run.fact(sdk::Fact::integer("unmatched_series", static_cast<int64_t>(result.unmatched_series)));
    target.host().debug(std::string(row.name) + ": " + std::to_string(result.unmatched_series) +
                        " series match no PD member's client URL, e.g. '" +
                        result.unmatched_example + "'");
  }
  if (result.failure) throw sdk::CheckFailed(*result.failure);
  run.fact(sdk::Fact::integer("subjects_unknown", static_cast<int64_t>(result.unknown.size())));
  if (!result.unknown.empty()) {
    std::string reasons;
    for (const PdUnknown& u : result.unknown) {
      reasons += (reasons.empty() ? "" : "; ") + u.reason;
      run.unknown(u.subject, u.reason);
    }
    target.host().warning(
        std::string(row.name) + ": " + std::to_string(result.unknown.size()) +
        " subjects not evaluated (unknown; their tickets stay as they are): " + reasons);
  }
  report(run, result.violations);
}

// The plugin.hpp factory makes a check without arguments: the row is the
// template argument.
template <size_t Row>
class PdMetricCheck : public sdk::Check<TikvTarget> {
 public:
  void run(TikvTarget& target, sdk::Run& run) override {
    run_pd_metric(pd_metric_rows()[Row], target, run);
  }
};

sdk::CheckSpec spec_of(const PdMetricRow& row) {
  sdk::CheckSpec spec{
      .name = std::string(row.name),
      .description = std::string(row.description),
      .severity = row.level == Level::kCritical ? OP_SEVERITY_CRITICAL : OP_SEVERITY_WARNING,
      .grace = row.grace};
  for (const PdCondition& c : row.conditions) {
    std::string doc = "violation when " + std::string(c.key) + " is strictly above this";
    if (!c.upstream.empty()) doc += " (after " + std::string(c.upstream) + ")";
    spec.params.push_back({.name = std::string(c.threshold_param),
                           .type = OP_PARAM_FLOAT,
                           .default_value = std::string(c.threshold_default),
                           .doc = std::move(doc),
                           .min_value = "0"});
  }
  for (const PdWindow& w : row.windows) {
    spec.params.push_back({.name = std::string(w.param),
                           .type = OP_PARAM_DURATION,
                           .default_value = std::string(w.default_text),
                           .doc = std::string(w.doc),
                           .min_value = "0s",
                           .min_exclusive = true});
  }
  return spec;
}

template <size_t... Rows>
void add_rows(sdk::PackBuilder<TikvTarget>& builder, std::index_sequence<Rows...>) {
  (builder.check<PdMetricCheck<Rows>>(spec_of(pd_metric_rows()[Rows])), ...);
}

}  // namespace

sdk::PackBuilder<TikvTarget>& add_pd_metric_checks(sdk::PackBuilder<TikvTarget>& builder) {
  add_rows(builder, std::make_index_sequence<kPdMetricRowCount>{});
  return builder;
}

}  // namespace opr::tikv
