#include "store_metric_checks.h"

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checks.h"
#include "evaluation.h"
#include "sources.h"
#include "store_metric_rows.h"

namespace opr::tikv {
namespace {

// A row's window when it has none: the query ignores it.
constexpr std::chrono::milliseconds kNoWindow{60'000};

void run_store_metric(const StoreMetricRow& row, TikvTarget& target, sdk::Run& run) {
  // The pack's table bounds rate_window: the host refuses values outside
  // it before anything runs.
  const double threshold = run.params().number("threshold");
  const auto window = row.window_default.empty() ? kNoWindow : run.params().duration("rate_window");
  const auto list = recent_stores(target, run);
  const StoreIndex& index = target.store_index(list);
  const std::vector<Sample> samples =
      query_prometheus(target, run, store_metric_query(row, window, threshold));
  // A full answer: the stores scraped are those with a value.
  std::optional<ScrapedStores> in_answer;
  const ScrapedStores* scraped = row.compared_here
                                     ? &in_answer.emplace(join_scraped(*list, index, samples))
                                     : &scraped_stores(target, run, list);
  conclude(target, run, std::string(row.name).c_str(),
           evaluate_store_metric(*list, index, *scraped, samples, row, threshold, window));
}

// The plugin.hpp factory makes a check without arguments: the row is the
// template argument.
template <size_t Row>
class StoreMetricCheck : public sdk::Check<TikvTarget> {
 public:
  void run(TikvTarget& target, sdk::Run& run) override {
    run_store_metric(store_metric_rows()[Row], target, run);
  }
};

sdk::CheckSpec spec_of(const StoreMetricRow& row) {
  std::string unit(row.unit);
  if (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  sdk::CheckSpec spec{
      .name = std::string(row.name),
      .description = std::string(row.description) + " (after " + std::string(row.upstream) + ")",
      .severity = row.level == Level::kCritical ? OP_SEVERITY_CRITICAL : OP_SEVERITY_WARNING,
      .interval = row.interval,
      .grace = row.grace};
  spec.params.push_back({.name = "threshold",
                         .type = OP_PARAM_FLOAT,
                         .default_value = std::string(row.threshold_default),
                         .doc = std::string("violation when the value is strictly ") +
                                (row.direction == Direction::kAbove ? "above" : "below") + " this" +
                                (unit.empty() ? "" : " (" + unit + ")")});
  if (!row.window_default.empty()) {
    spec.params.push_back({.name = "rate_window",
                           .type = OP_PARAM_DURATION,
                           .default_value = std::string(row.window_default),
                           .doc = "range of rate()/delta() in the PromQL query",
                           .min_value = "0s",
                           .min_exclusive = true});
  }
  return spec;
}

template <size_t... Rows>
void add_rows(sdk::PackBuilder<TikvTarget>& builder, std::index_sequence<Rows...>) {
  (builder.check<StoreMetricCheck<Rows>>(spec_of(store_metric_rows()[Rows])), ...);
}

}  // namespace

sdk::PackBuilder<TikvTarget>& add_store_metric_checks(sdk::PackBuilder<TikvTarget>& builder) {
  add_rows(builder, std::make_index_sequence<kStoreMetricRowCount>{});
  return builder;
}

}  // namespace opr::tikv
