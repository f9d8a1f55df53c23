// The family of per-store TiKV metric checks: one table row per check, after
// an alert of tikv/tikv's metrics/alertmanager/tikv.rules.yml. A row says
// which PromQL gives one value per TiKV instance, how that value compares to
// its threshold, and how a violation reads; evaluate_store_metric()
// (evaluation.h) joins the values to PD's stores exactly as latency and
// disk_space do. Adding a check is adding a row (and its tests).
#pragma once

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace opr::tikv {

// Which side of the threshold is a violation; both are strict, as exceeds():
// a value exactly at the threshold is no violation.
enum class Direction { kAbove, kBelow };

// Upstream levels map to the pack's severities: emergency and critical ->
// critical, warning -> warning.
enum class Level { kWarning, kCritical };

struct StoreMetricRow {
  std::string_view name{};         // the check's name, e.g. "write_stall"
  std::string_view description{};  // for `plugins list`
  std::string_view upstream{};     // the tikv.rules.yml alert it follows
  std::string_view metric{};       // the TiKV metric family, named when a store has none
  // PromQL giving one series per `instance`; "{window}" stands for the
  // rate/delta range (the check's rate_window parameter).
  std::string_view expression{};
  // The family exists only after its first event (a counter or gauge vector
  // such as tikv_channel_full_total): a store whose TiKV is scraped (it has a
  // tikv_store_size_bytes capacity series) and lacks the series reads 0.
  bool absent_is_zero = false;
  // A histogram quantile that is NaN had no observations in the window:
  // nothing waited, so the store is healthy rather than unknown.
  bool nan_is_idle = false;
  std::string_view window_default{};     // text of the rate_window parameter's default
  std::string_view threshold_default{};  // text of the threshold parameter's default
  Direction direction = Direction::kAbove;
  Level level = Level::kCritical;
  std::chrono::seconds grace{60};  // upstream `for:`
  // What the value is, in a message: "Store 3 <label> <value><unit>
  // exceeds threshold <threshold><unit>"; "{window}" is replaced.
  std::string_view label{};
  std::string_view unit{};  // "s", " entries", "/s", " cores", " B", ""
};

// Every row, in the order the pack declares them; a static_assert keeps
// the count in step with the table.
inline constexpr size_t kStoreMetricRowCount = 23;
std::span<const StoreMetricRow> store_metric_rows();

// The row's query for `window`: the expression with {window} replaced, and
// for absent_is_zero rows `or on (instance) 0 * <scraped marker>`.
// Throws std::invalid_argument for a window that is not positive.
std::string store_metric_query(const StoreMetricRow& row, std::chrono::milliseconds window);

// The row's label with {window} replaced.
std::string store_metric_label(const StoreMetricRow& row, std::chrono::milliseconds window);

}  // namespace opr::tikv
