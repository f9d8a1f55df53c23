// The TiKV series that the pack's per-store metric family reads
// (plugins/tikv/lib/store_metric_rows.h), one signal per row: healthy by
// default, each set per store through a control-API field of the same name.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "latency_histogram.h"

namespace opr::sim {

// What a signal's control field sets:
// - kHistogram: the quantile (P99, or the spec's) of the histogram, in the
//   family's unit (seconds, or entries for the raft log lag), played as
//   tikv_grpc_msg_duration_seconds plays p99_ms (just below the value, never
//   above);
// - kCounter: how much the counter grows per second (a rate);
// - kGauge: the gauge's value.
enum class SignalKind { kHistogram, kCounter, kGauge };

struct SignalSpec {
  std::string_view field;  // the control-API field, e.g. "async_write_p99_s"
  SignalKind kind;
  std::string_view family;  // the metric family
  std::string_view type;    // the TYPE line's type
  std::string_view help;
  std::string_view labels;  // after instance, e.g. `type="write"`
  double healthy;           // the default value
  // kHistogram: bucket bounds are exponential_buckets(5e-5, 2, 22) times this.
  double scale = 1;
  // kCounter: the series exists only once it grew (a TiKV counter vector).
  bool appears_on_first_event = false;
  // kHistogram: the quantile the field sets (the one its check reads).
  double quantile = 0.99;
};

inline constexpr std::size_t kSignalCount = 23;
extern const std::array<SignalSpec, kSignalCount> kSignals;

// One signal of one store: its value and what earlier values left in the
// counters, so that counters only grow when the value changes.
struct SignalState {
  std::optional<double> value;                                  // nullopt: the spec's healthy value
  std::int64_t segment_start_ns = 0;                            // steady clock
  double counter_base = 0;                                      // kCounter
  std::array<std::uint64_t, kFiniteBuckets + 1> bucket_base{};  // kHistogram
  double sum_base = 0;
  std::optional<TickDistribution> distribution;  // kHistogram, once the value changed
  bool missing = false;  // no series for this store (tests of a missing metric)
};

struct FamilySignals {
  std::array<SignalState, kSignalCount> signals;
};

// Control-API changes: values by signal, the signals to hide or show
// again, and a process restart.
struct FamilyChange {
  std::vector<std::pair<std::size_t, double>> values;
  std::vector<std::pair<std::size_t, bool>> missing;
  bool restart = false;
};

void init_family(FamilySignals& family, std::int64_t steady_now_ns);

// Reads one control-API field: nullopt when `key` is no field of the
// family, "" when read into `change`, else what is wrong with the value.
// Fields: every spec's `field` (a number), "missing_metrics" (an array of
// fields whose series the store stops serving; [] serves them all again),
// "restart" (true: the TiKV process restarts now).
std::optional<std::string> parse_family_field(std::string_view key,
                                              const nlohmann::ordered_json& value,
                                              FamilyChange& change);
struct Store;
// Applies `change` to `store` (a restart sets its start_timestamp_s).
void apply_family_change(Store& store, const FamilyChange& change, std::int64_t steady_now_ns,
                         std::int64_t wall_now_s);

// The values a store plays, for the control API's answers.
nlohmann::ordered_json family_json(const Store& store);

// Every family signal of the stores that serve metrics, one family after
// the other, in `order`; process_start_time_seconds from start_timestamp_s.
void write_family_signals(std::string& out, const std::vector<Store>& stores,
                          const std::vector<std::size_t>& order, std::int64_t steady_now_ns);

}  // namespace opr::sim
