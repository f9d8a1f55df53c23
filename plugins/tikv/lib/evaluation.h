// The invariants as pure functions (the three first checks and the rows of
// the metric family): parsed PD and Prometheus answers in, violations out.
// No I/O, no ABI; the pack reports what these return.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pd_stores.h"
#include "prom_vector.h"
#include "store_index.h"
#include "store_metric_rows.h"

namespace opr::tikv {

// A key/value for a ticket's metric snapshot; is_number: value is a JSON
// number literal.
struct Fact {
  std::string key;
  std::string value;
  bool is_number = false;
};

Fact text_fact(std::string key, std::string value);
// A number fact; NaN and infinities (JSON has none) travel as text.
Fact number_fact(std::string key, double value);

// A violation's own severity, with plugin.h's op_severity values;
// kConfigured: the check's configured one.
enum class Severity : int32_t { kConfigured = 0, kInfo = 1, kWarning = 2, kCritical = 3 };

// "info", "warning", "critical" (as the config writes severities); nullopt
// for anything else.
std::optional<Severity> parse_severity(std::string_view name);

struct Violation {
  std::string subject;  // the store id in decimal
  std::string message;
  std::vector<Fact> facts;
  Severity severity = Severity::kConfigured;
};

// True when `value` is above `threshold` by more than floating-point noise
// (1e-9 relative): thresholds are strict, so exactly 100 ms or 70 % is no
// violation even when Prometheus' arithmetic lands a hair above. NaN never
// exceeds; +Inf always does.
bool exceeds(double value, double threshold);

struct StoreUpRule {
  // An Offline store is being removed on purpose (a planned scale-in): its
  // violation has this severity and says so; the others have the check's.
  Severity offline_severity = Severity::kWarning;
};

// store_up: one violation per store whose state_name is not "Up" (Tombstone
// stores only if the list holds them). `now_unix_ms` dates heartbeat ages.
std::vector<Violation> evaluate_store_up(const StoreList& list, int64_t now_unix_ms,
                                         const StoreUpRule& rule = {});

// A store a check could not evaluate in this run: it is neither healthy nor
// violated, and its tickets stay exactly as they were.
struct UnknownStore {
  uint64_t id = 0;
  std::string reason;  // for humans, e.g. "store 3 is Disconnected: its metrics are not evaluated"
};

// What a Prometheus-based check found, joined to PD's stores by
// instance == status_address. Every store of the list but Tombstone ones
// (removed: no subject) is either evaluated (its values were read; it is
// healthy or in `violations`) or in `unknown`, never silently healthy: a
// store is evaluated only when it is Up or Offline (TiKV serves metrics in
// those states) and its series hold usable values.
struct MetricEvaluation {
  std::vector<Violation> violations;  // ascending store id
  std::vector<UnknownStore> unknown;  // ascending store id
  size_t stores_expected = 0;         // Up/Offline stores (those that should have series)
  size_t stores_with_metrics = 0;     // stores of any state that had a series
  size_t stores_evaluated = 0;        // stores whose values were read
  size_t unmatched_series = 0;        // series whose instance is no store's status_address
  std::string unmatched_example;      // one such instance, for the message
  // Set when no store could be evaluated (none listed, no series at all,
  // or every store unknown), saying why: the run must then fail, never
  // pass. violations and unknown are then empty.
  std::optional<std::string> failure;
};

struct LatencyRule {
  double quantile = 0.99;
  double threshold_ms = 100;
  std::chrono::milliseconds rate_window{60'000};  // of the query, named when a store is idle
};

// latency: `samples` are seconds per instance (latency_query()). +Inf is a
// violation (the quantile lies above the largest finite bucket); NaN (an
// idle histogram: no requests in the rate window), -Inf and negative values
// make the store unknown.
MetricEvaluation evaluate_latency(const StoreList& list, const std::vector<Sample>& samples,
                                  const LatencyRule& rule);
// The same with `index` built from `list`: the pack builds one per list and
// shares it between every check of the cycle (the overloads without an
// index build their own, for one evaluation).
MetricEvaluation evaluate_latency(const StoreList& list, const StoreIndex& index,
                                  const std::vector<Sample>& samples, const LatencyRule& rule);

// disk_space: `samples` are bytes per (instance, type) for the types
// capacity and available (disk_query()). A store is unknown unless it has
// both, finite and not negative, with capacity above zero and available
// not above capacity.
MetricEvaluation evaluate_disk(const StoreList& list, const std::vector<Sample>& samples,
                               double threshold_percent);
MetricEvaluation evaluate_disk(const StoreList& list, const StoreIndex& index,
                               const std::vector<Sample>& samples, double threshold_percent);

// Which stores of a list Prometheus scrapes: scraped_stores_query()'s
// answer joined to the list's stores by status address.
struct ScrapedStores {
  std::vector<bool> scraped;      // by position in the list
  size_t unmatched_series = 0;    // series whose instance is no store's status_address
  std::string unmatched_example;  // one such instance
};
ScrapedStores join_scraped(const StoreList& list, const StoreIndex& index,
                           const std::vector<Sample>& samples);

// A row of the per-store metric family (store_metric_rows.h). `samples`
// answer store_metric_query(): the stores Prometheus found unhealthy, and
// (condition="missing") the scraped ones without a value; a store of
// `scraped` in neither is healthy, one not in `scraped` is unknown. A
// violation is a value strictly beyond `threshold` in the row's direction
// (as exceeds()): a sample that is not is healthy, so an answer holding
// every store's value (the overload without `scraped`, which counts a
// store scraped when it has a sample) is judged the same. Its facts are
// value, threshold and the store's addresses. +Inf is a violation of an
// "above" row; NaN makes the store unknown unless the row reads it as an
// idle histogram (healthy); other infinities make it unknown.
MetricEvaluation evaluate_store_metric(const StoreList& list, const std::vector<Sample>& samples,
                                       const StoreMetricRow& row, double threshold,
                                       std::chrono::milliseconds window);
MetricEvaluation evaluate_store_metric(const StoreList& list, const StoreIndex& index,
                                       const ScrapedStores& scraped,
                                       const std::vector<Sample>& samples,
                                       const StoreMetricRow& row, double threshold,
                                       std::chrono::milliseconds window);

struct StoreSlowRule {
  uint64_t threshold = 80;  // PD's slowStoreThreshold: slow from this score on
};

// store_slow: PD's own slow-store signal, each store's status.slow_score in
// the store list (1 is healthy, 100 the slowest). A store is slow when its
// score is at least `threshold` (PD's rule: >= 80, so exactly the threshold
// is a violation, unlike the metric checks' strict thresholds). Like the
// metric checks, only Up and Offline stores are evaluated: a Disconnected
// or Down store's score is its last heartbeat's, which PD does not count as
// slow either (store_up reports those stores); a store without a score
// (PD omits 0: an old PD, or none reported) is unknown; the run fails when
// no store could be evaluated.
MetricEvaluation evaluate_store_slow(const StoreList& list, const StoreSlowRule& rule);

// "store 3 is Disconnected: ...; no ... series for store 4 (...)", the
// reasons of the first `max_listed` unknown stores, then "; and N more".
std::string describe_unknown(const std::vector<UnknownStore>& unknown, size_t max_listed);

}  // namespace opr::tikv
