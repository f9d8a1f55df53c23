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
  // For nan_is_idle rows: the selector of one bucket series per store (the
  // expression's matchers and le="+Inf"). A store has a quantile exactly
  // when that series has two samples in the window (what rate() needs),
  // and Prometheus counts them for a twentieth of the quantile's cost.
  std::string_view presence{};
  // The query answers every store's value, compared here, instead of the
  // stores Prometheus found unhealthy (store_metric_query()): for a row
  // whose expression is so dear that evaluating it three times would pass
  // the check's timeout (gc_not_working's day of samples), and which runs
  // seldom enough that receiving every store's value costs little.
  bool compared_here = false;
  std::string_view window_default{};     // text of the rate_window parameter's default
  std::string_view threshold_default{};  // text of the threshold parameter's default
  Direction direction = Direction::kAbove;
  Level level = Level::kCritical;
  std::chrono::seconds grace{60};  // upstream `for:`
  // The check's default interval; 0: the host's (defaults.interval). Longer
  // for a row whose range is so long that a run every few seconds would cost
  // Prometheus much and tell nothing new (gc_not_working's day).
  std::chrono::seconds interval{0};
  // What the value is, in a message: "Store 3 <label> <value><unit>
  // exceeds threshold <threshold><unit>"; "{window}" is replaced.
  std::string_view label{};
  std::string_view unit{};  // "s", " entries", "/s", " cores", " B", ""
};

// Every row, in the order the pack declares them; a static_assert keeps
// the count in step with the table.
inline constexpr size_t kStoreMetricRowCount = 23;
std::span<const StoreMetricRow> store_metric_rows();

// The row's value per instance for `window`: the expression with {window}
// replaced, and for absent_is_zero rows `or on (instance) 0 * <scraped>`.
// Throws std::invalid_argument for a window that is not positive.
std::string store_metric_value(const StoreMetricRow& row, std::chrono::milliseconds window);

// The row's query for `window` and `threshold`, compared by Prometheus: it
// answers only the stores the pack must look at, not one value per store
// (at 10,000 stores that is ~1 MB less to receive and parse per row):
//  - every store whose value is not healthy: beyond the threshold, or NaN
//    or an infinity the row cannot judge (nan_is_idle rows: beyond only,
//    NaN being idle);
//  - every store scraped in the last 5 minutes (scraped_stores_query()'s
//    series) that has no value, with the label condition="missing"
//    (absent_is_zero rows: a store that is scraped now and lacks the
//    series reads 0).
// A store in neither is healthy if scraped_stores_query() lists it, and
// unknown if not. A compared_here row's query is its value
// (store_metric_value()). Throws std::invalid_argument for a window that is
// not positive.
std::string store_metric_query(const StoreMetricRow& row, std::chrono::milliseconds window,
                               double threshold);

// One series per instance whose TiKV Prometheus scrapes: the stores that
// store_metric_query()'s answers judge by what they leave out. A list of
// them may be used for at most kScrapedMaxAge.
std::string scraped_stores_query();
inline constexpr std::chrono::milliseconds kScrapedMaxAge{4 * 60'000};

// The row's label with {window} replaced.
std::string store_metric_label(const StoreMetricRow& row, std::chrono::milliseconds window);

}  // namespace opr::tikv
