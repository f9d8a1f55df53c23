// The three invariants as pure functions: parsed PD and Prometheus answers
// in, violations out. No I/O, no ABI; the pack reports what these return.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pd_stores.h"
#include "prom_vector.h"

namespace opr::tikv {

// A key/value for a ticket's metric snapshot; is_number: value is a JSON
// number literal.
struct Fact {
  std::string key;
  std::string value;
  bool is_number = false;
};

struct Violation {
  std::string subject;  // the store id in decimal
  std::string message;
  std::vector<Fact> facts;
};

// True when `value` is above `threshold` by more than floating-point noise
// (1e-9 relative): thresholds are strict, so exactly 100 ms or 70 % is no
// violation even when Prometheus' arithmetic lands a hair above. NaN never
// exceeds; +Inf always does.
bool exceeds(double value, double threshold);

// store_up: one violation per store whose state_name is not "Up" (Tombstone
// stores only if the list holds them). `now_unix_ms` dates heartbeat ages.
std::vector<Violation> evaluate_store_up(const StoreList& list, int64_t now_unix_ms);

// What a Prometheus-based check found, joined to PD's stores by
// instance == status_address.
struct MetricEvaluation {
  std::vector<Violation> violations;             // ascending store id
  std::vector<uint64_t> stores_without_metrics;  // Up/Offline stores with no series, ascending
  size_t stores_expected = 0;      // Up/Offline stores (those that should have series)
  size_t stores_with_metrics = 0;  // stores of any state that had a series
  size_t unmatched_series = 0;     // series whose instance is no store's status_address
  std::string unmatched_example;   // one such instance, for the message
  // Set when nothing could be evaluated: no Up/Offline store has a series.
  // The run must then fail, never pass.
  std::optional<std::string> failure;
};

struct LatencyRule {
  double quantile = 0.99;
  double threshold_ms = 100;
};

// latency: `samples` are seconds per instance (latency_query()). NaN (an
// idle histogram) is no violation; +Inf is.
MetricEvaluation evaluate_latency(const StoreList& list, const std::vector<Sample>& samples,
                                  const LatencyRule& rule);

// disk_space: `samples` are bytes per (instance, type) for the types
// capacity and available (disk_query()). A store needs both; zero capacity
// is no violation.
MetricEvaluation evaluate_disk(const StoreList& list, const std::vector<Sample>& samples,
                               double threshold_percent);

}  // namespace opr::tikv
