#include "checks.h"

#include <algorithm>
#include <string>
#include <vector>

#include "evaluation.h"
#include "promql.h"
#include "sources.h"
#include "text.h"

namespace opr::tikv {

static_assert(static_cast<int32_t>(Severity::kInfo) == OP_SEVERITY_INFO &&
              static_cast<int32_t>(Severity::kWarning) == OP_SEVERITY_WARNING &&
              static_cast<int32_t>(Severity::kCritical) == OP_SEVERITY_CRITICAL);

void report(sdk::Run& run, const std::vector<Violation>& violations) {
  std::vector<sdk::Fact> facts;
  for (const Violation& v : violations) {
    facts.clear();
    for (const Fact& f : v.facts) facts.push_back({f.key, f.value, f.is_number});
    run.report(v.subject, v.message, facts, static_cast<op_severity>(v.severity));
  }
}

namespace {

// At 10,000 stores a full list would be a 60 KB fact; the count says the rest.
constexpr size_t kMaxListedStores = 100;

}  // namespace

void conclude(const TikvTarget& target, sdk::Run& run, const char* check,
              const MetricEvaluation& result) {
  run.fact(sdk::Fact::integer("stores_expected", static_cast<int64_t>(result.stores_expected)));
  run.fact(
      sdk::Fact::integer("stores_with_metrics", static_cast<int64_t>(result.stores_with_metrics)));
  if (result.unmatched_series > 0) {
    run.fact(sdk::Fact::integer("unmatched_series", static_cast<int64_t>(result.unmatched_series)));
    target.host().debug(std::string(check) + ": " + std::to_string(result.unmatched_series) +
                        " series match no store's status_address, e.g. '" +
                        result.unmatched_example + "'");
  }
  if (result.failure) throw sdk::CheckFailed(*result.failure);
  // Only now: a failed run has no unknown stores, it saw none.
  run.fact(sdk::Fact::integer("stores_unknown", static_cast<int64_t>(result.unknown.size())));
  if (!result.unknown.empty()) {
    const auto& unknown = result.unknown;
    std::vector<uint64_t> listed;
    listed.reserve(std::min(unknown.size(), kMaxListedStores));
    for (size_t i = 0; i < unknown.size() && i < kMaxListedStores; ++i)
      listed.push_back(unknown[i].id);
    std::string ids = join_ids(listed);
    if (unknown.size() > listed.size()) {
      ids += ",... (" + std::to_string(unknown.size() - listed.size()) + " more)";
    }
    run.fact(sdk::Fact::text("stores_unknown_ids", ids));
    target.host().warning(std::string(check) + ": " + std::to_string(unknown.size()) + " of " +
                          std::to_string(unknown.size() + result.stores_evaluated) +
                          " stores not evaluated (unknown; their tickets stay as they are): " +
                          describe_unknown(unknown, 5));
    for (const UnknownStore& store : unknown) run.unknown(std::to_string(store.id), store.reason);
  }
  report(run, result.violations);
}

void StoreUpCheck::run(TikvTarget& target, sdk::Run& run) {
  // The pack's table cannot bound a string: read it before PD is asked.
  StoreUpRule rule;
  const std::string offline = run.params().string("offline_severity");
  if (const auto severity = parse_severity(offline)) {
    rule.offline_severity = *severity;
  } else {
    throw sdk::CheckFailed("store_up: offline_severity must be info, warning or critical, got '" +
                           offline + "'");
  }
  // Always fresh: this check is PD's own view of the stores.
  const auto list = fetch_stores(target, run, run.params().boolean("include_tombstone"));
  run.fact(sdk::Fact::integer("stores", static_cast<int64_t>(list->stores.size())));
  report(run, evaluate_store_up(*list, target.host().now_unix_ms(), rule));
}

void LatencyCheck::run(TikvTarget& target, sdk::Run& run) {
  // The pack's table bounds quantile, rate_window and threshold_ms: the
  // host refuses values outside them before anything runs.
  LatencyRule rule;
  rule.quantile = run.params().number("quantile");
  rule.threshold_ms = run.params().number("threshold_ms");
  rule.rate_window = run.params().duration("rate_window");
  // A recording rule of the inner sum spares Prometheus reading every gRPC
  // type's buckets at each run (README.md, "Query cost"). The ABI cannot
  // bound a string: a name that is no metric name fails the run, before any
  // request, rather than go into the query.
  const std::string recorded = run.params().optional_string("recording_rule").value_or("");
  if (!recorded.empty() && !is_metric_name(recorded)) {
    throw sdk::CheckFailed(
        "latency: recording_rule must be a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), "
        "got '" +
        recorded + "'");
  }
  const std::string query = recorded.empty() ? latency_query(rule.quantile, rule.rate_window)
                                             : latency_query_recorded(rule.quantile, recorded);
  const auto list = recent_stores(target, run);
  const std::vector<Sample> samples = query_prometheus(target, run, query);
  conclude(target, run, "latency",
           evaluate_latency(*list, target.store_index(list), samples, rule));
}

void DiskSpaceCheck::run(TikvTarget& target, sdk::Run& run) {
  const double threshold = run.params().number("threshold_percent");
  const auto list = recent_stores(target, run);
  const std::vector<Sample> samples = query_prometheus(target, run, disk_query());
  conclude(target, run, "disk_space",
           evaluate_disk(*list, target.store_index(list), samples, threshold));
}

void StoreSlowCheck::run(TikvTarget& target, sdk::Run& run) {
  // The pack's table bounds threshold to PD's score range, 1 to 100.
  StoreSlowRule rule;
  rule.threshold = static_cast<uint64_t>(run.params().integer("threshold"));
  // PD's own signal, in the list latency and disk_space share: no request
  // of its own when one of them fetched it recently.
  const auto list = recent_stores(target, run);
  conclude(target, run, "store_slow", evaluate_store_slow(*list, rule));
}

}  // namespace opr::tikv
