#include "checks.h"

#include <cmath>
#include <string>
#include <vector>

#include "evaluation.h"
#include "promql.h"
#include "sources.h"
#include "text.h"

namespace opr::tikv {
namespace {

// At 10,000 stores a full list would be a 60 KB fact; the count says the rest.
constexpr size_t kMaxListedStores = 100;

void report(sdk::Run& run, const std::vector<Violation>& violations) {
  std::vector<sdk::Fact> facts;
  for (const Violation& v : violations) {
    facts.clear();
    for (const Fact& f : v.facts) facts.push_back({f.key, f.value, f.is_number});
    run.report(v.subject, v.message, facts);
  }
}

// Run facts and the warning for stores Prometheus says nothing about, then
// the violations, or a failed run when no store could be evaluated.
void conclude(const TikvTarget& target, sdk::Run& run, const char* check, const std::string& metric,
              const MetricEvaluation& result) {
  run.fact(sdk::Fact::integer("stores_expected", static_cast<int64_t>(result.stores_expected)));
  run.fact(
      sdk::Fact::integer("stores_with_metrics", static_cast<int64_t>(result.stores_with_metrics)));
  if (result.failure) throw sdk::CheckFailed(*result.failure);
  if (!result.stores_without_metrics.empty()) {
    const auto& missing = result.stores_without_metrics;
    std::vector<uint64_t> listed(missing.begin(),
                                 missing.begin() + std::min(missing.size(), kMaxListedStores));
    std::string ids = join_ids(listed);
    if (missing.size() > listed.size()) {
      ids += ",... (" + std::to_string(missing.size() - listed.size()) + " more)";
    }
    run.fact(sdk::Fact::text("stores_without_metrics", ids));
    run.fact(
        sdk::Fact::integer("stores_without_metrics_count", static_cast<int64_t>(missing.size())));
    target.host().warning(std::string(check) + ": Prometheus has no " + metric + " series for " +
                          std::to_string(missing.size()) + " of " +
                          std::to_string(result.stores_expected) +
                          " Up/Offline stores, which are therefore not evaluated: " + ids);
  }
  if (result.unmatched_series > 0) {
    target.host().debug(std::string(check) + ": " + std::to_string(result.unmatched_series) +
                        " series match no store's status_address, e.g. '" +
                        result.unmatched_example + "'");
  }
  report(run, result.violations);
}

double finite_param(const sdk::Params& params, const char* name) {
  const double value = params.number(name);
  if (!std::isfinite(value))
    throw sdk::CheckFailed(std::string("parameter ") + name + " must be a finite number");
  return value;
}

}  // namespace

void StoreUpCheck::run(TikvTarget& target, sdk::Run& run) {
  // Always fresh: this check is PD's own view of the stores.
  const auto list = fetch_stores(target, run, run.params().boolean("include_tombstone"));
  run.fact(sdk::Fact::integer("stores", static_cast<int64_t>(list->stores.size())));
  report(run, evaluate_store_up(*list, target.host().now_unix_ms()));
}

void LatencyCheck::run(TikvTarget& target, sdk::Run& run) {
  LatencyRule rule;
  rule.quantile = finite_param(run.params(), "quantile");
  rule.threshold_ms = finite_param(run.params(), "threshold_ms");
  if (rule.quantile < 0 || rule.quantile > 1) {
    throw sdk::CheckFailed("parameter quantile must be between 0 and 1, got " +
                           format_decimal(rule.quantile, 4));
  }
  const auto window = run.params().duration("rate_window");
  if (window.count() <= 0) throw sdk::CheckFailed("parameter rate_window must be positive");

  const auto list = recent_stores(target, run);
  const std::vector<Sample> samples =
      query_prometheus(target, run, latency_query(rule.quantile, window));
  conclude(target, run, "latency", "tikv_grpc_msg_duration_seconds",
           evaluate_latency(*list, samples, rule));
}

void DiskSpaceCheck::run(TikvTarget& target, sdk::Run& run) {
  const double threshold = finite_param(run.params(), "threshold_percent");
  const auto list = recent_stores(target, run);
  const std::vector<Sample> samples = query_prometheus(target, run, disk_query());
  conclude(target, run, "disk_space", "tikv_store_size_bytes",
           evaluate_disk(*list, samples, threshold));
}

}  // namespace opr::tikv
