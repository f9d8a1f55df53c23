#include "evaluation.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <operator/json_number.hpp>

#include "byte_size.h"
#include "promql.h"
#include "store_index.h"
#include "text.h"

namespace opr::tikv {

Fact text_fact(std::string key, std::string value) {
  return {std::move(key), std::move(value), false};
}

Fact number_fact(std::string key, double value) {
  if (auto text = sdk::json_number_text(value)) return {std::move(key), std::move(*text), true};
  return text_fact(std::move(key), format_decimal(value, 1));
}

namespace {

Fact integer_fact(std::string key, uint64_t value) {
  return {std::move(key), std::to_string(value), true};
}

std::string store_label(const Store& store) { return "Store " + std::to_string(store.id); }

// "Store 3 at 10.0.1.13:20160", or "Store 3" when PD gives no address.
std::string store_label_at(const Store& store) {
  return store_label(store) + (store.address.empty() ? "" : " at " + store.address);
}

// The facts add_address_facts() adds, for reserving a violation's facts.
constexpr size_t kAddressFacts = 3;

void add_address_facts(const Store& store, std::vector<Fact>& facts) {
  facts.push_back(text_fact("address", store.address));
  facts.push_back(text_fact("status_address", store.status_address));
  facts.push_back(text_fact("state_name", store.state_name));
}

// A metric check's violation of `store`: its id as subject, the check's
// `facts` (value, threshold, ...), then where the store is.
Violation store_violation(const Store& store, std::string message,
                          std::initializer_list<Fact> facts) {
  Violation v;
  v.facts.reserve(facts.size() + kAddressFacts);  // one allocation per violation
  v.subject = std::to_string(store.id);
  v.message = std::move(message);
  v.facts.insert(v.facts.end(), facts.begin(), facts.end());
  add_address_facts(store, v.facts);
  return v;
}

constexpr std::string_view kLatencyMetric = "tikv_grpc_msg_duration_seconds";
constexpr std::string_view kDiskMetric = "tikv_store_size_bytes";

// Why a store is unknown, in words. Built only for unknown stores, so kept
// out of line and cold: the evaluations stay small for the common case, in
// which every store is evaluated.

// "store 3": how reasons name a store (messages of violations say "Store 3").
std::string store_ref(const Store& store) { return "store " + std::to_string(store.id); }

// A value read from Prometheus, for a reason: whole numbers (byte counts)
// without an exponent.
std::string number_text(double value) {
  if (!std::isfinite(value)) return format_decimal(value, 0);
  char buffer[64];
  if (value == std::trunc(value) && std::fabs(value) < 1e18) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
  }
  const auto written = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, written.ptr);
}

[[gnu::cold]] std::string not_running_reason(const Store& store) {
  return store_ref(store) + " is " + store.state_name + ": its metrics are not evaluated";
}

[[gnu::cold]] std::string no_series_reason(const Store& store, std::string_view metric) {
  std::string reason = "no " + std::string(metric) + " series for " + store_ref(store);
  reason += store.status_address.empty() ? " (PD gives it no status_address)"
                                         : " (instance " + store.status_address + ")";
  return reason;
}

// A latency quantile (in ms) that is NaN, -Inf or negative.
[[gnu::cold]] std::string unusable_latency_reason(const Store& store, const std::string& name,
                                                  double ms, std::chrono::milliseconds window) {
  if (std::isnan(ms)) {
    return store_ref(store) + "'s " + name + " latency is NaN: no gRPC requests in the last " +
           promql_duration(window) + " (an idle histogram), nothing to evaluate";
  }
  return store_ref(store) + "'s " + name + " latency is " +
         (std::isinf(ms) ? "-Inf" : number_text(ms) + "ms") + ", an unusable value";
}

[[gnu::cold]] std::string half_disk_reason(const Store& store, bool has_capacity) {
  return store_ref(store) + " has a " + std::string(kDiskMetric) + " " +
         (has_capacity ? "capacity series but no available one"
                       : "available series but no capacity one");
}

// A capacity or available value that is not finite or is negative.
[[gnu::cold]] std::string unusable_size_reason(const Store& store, const char* type, double bytes) {
  return store_ref(store) + "'s " + std::string(kDiskMetric) + " " + type + " is " +
         (std::isfinite(bytes) ? number_text(bytes) + " bytes" : format_decimal(bytes, 0)) +
         ", an unusable value";
}

[[gnu::cold]] std::string zero_capacity_reason(const Store& store) {
  return store_ref(store) + "'s " + std::string(kDiskMetric) +
         " capacity is 0 bytes: there is no usage to measure";
}

[[gnu::cold]] std::string over_capacity_reason(const Store& store, double available,
                                               double capacity) {
  return store_ref(store) + "'s " + std::string(kDiskMetric) + " available (" +
         number_text(available) + " bytes) is more than its capacity (" + number_text(capacity) +
         " bytes), an unusable pair";
}

// Evaluates every store of `list` but Tombstone ones (removed: no subject).
// A store that is not Up or Offline serves no metrics, so it is unknown
// whatever Prometheus still holds for it; for the others `judge(position,
// store)` reads the store's values, adds any violation to `result`, and
// returns why the store is unknown, or nullopt once it was evaluated. Then
// orders what was found and sets `result.failure` when nothing was evaluated.
template <typename Judge>
void judge_stores(const StoreList& list, const std::vector<StoreKind>& kinds,
                  std::string_view metric, const std::vector<bool>& has_series,
                  MetricEvaluation& result, Judge&& judge) {
  size_t listed = 0;
  size_t expected_with_series = 0;
  for (size_t i = 0; i < list.stores.size(); ++i) {
    // Only the unknown and the violated are read from their Store.
    const Store& store = list.stores[i];
    if (kinds[i] == StoreKind::kTombstone) continue;
    if (kinds[i] == StoreKind::kStopped) {
      ++listed;
      result.unknown.push_back({store.id, not_running_reason(store)});
      continue;
    }
    ++listed;
    ++result.stores_expected;
    if (has_series[i]) ++expected_with_series;
    if (std::optional<std::string> reason = judge(i, store)) {
      result.unknown.push_back({store.id, std::move(*reason)});
    } else {
      ++result.stores_evaluated;
    }
  }
  // Subjects are decimal ids without leading zeros: shorter is smaller.
  std::sort(result.violations.begin(), result.violations.end(),
            [](const Violation& a, const Violation& b) {
              return a.subject.size() != b.subject.size() ? a.subject.size() < b.subject.size()
                                                          : a.subject < b.subject;
            });
  std::sort(result.unknown.begin(), result.unknown.end(),
            [](const UnknownStore& a, const UnknownStore& b) { return a.id < b.id; });
  if (result.stores_evaluated > 0) return;

  std::string reason;
  if (listed == 0) {
    reason =
        list.stores.empty() ? "PD lists no stores" : "PD lists only Tombstone (removed) stores";
    reason += "; a cluster without stores is not monitored";
  } else if (result.stores_expected > 0 && expected_with_series == 0) {
    reason = "Prometheus has no " + std::string(metric) + " series for any of the " +
             std::to_string(result.stores_expected) +
             (listed > result.stores_expected ? " Up or Offline stores" : " stores") +
             "; is it scraping TiKV?";
    if (result.unmatched_series > 0) {
      reason += " (" + std::to_string(result.unmatched_series) +
                " series have an instance label, e.g. '" + result.unmatched_example +
                "', that is no store's status_address)";
    }
  } else {
    reason = "no store could be evaluated: all " + std::to_string(listed) +
             (listed == 1 ? " store is" : " stores are") +
             " unknown: " + describe_unknown(result.unknown, 3);
  }
  result.failure = std::move(reason);
  result.violations.clear();
  result.unknown.clear();
}

// Each store's value (the last, should Prometheus answer two), by
// position in `list`: read in the stores' order, not the samples'.
void join_values(const StoreList& list, const StoreIndex& index, const std::vector<Sample>& samples,
                 MetricEvaluation& result, std::vector<double>& value_of,
                 std::vector<bool>& has_series) {
  value_of.assign(list.stores.size(), 0.0);
  has_series.assign(list.stores.size(), false);
  for (const Sample& sample : samples) {
    const auto position = index.find(sample.instance);
    if (!position) {
      if (result.unmatched_series++ == 0) result.unmatched_example = sample.instance;
      continue;
    }
    if (!has_series[*position]) ++result.stores_with_metrics;
    has_series[*position] = true;
    value_of[*position] = sample.value;
  }
}

// An Up or Offline store for which PD's list has no slow score.
[[gnu::cold]] std::string no_slow_score_reason(const Store& store) {
  return "PD gives " + store_ref(store) + " no slow score (status.slow_score)";
}

// A family value that is NaN or an infinity the row cannot judge.
[[gnu::cold]] std::string unusable_value_reason(const Store& store, const std::string& label,
                                                double value) {
  return store_ref(store) + "'s " + label + " is " + format_decimal(value, 0) +
         ", an unusable value";
}

// `value` as a message shows it beside a threshold it is below: one
// decimal, or more (up to six) until the text reads as less than it.
std::string format_below(double value, double threshold) {
  std::string text;
  for (int decimals = 1; decimals <= 6; ++decimals) {
    text = format_decimal(value, decimals);
    if (std::stod(text) < threshold) break;
  }
  return text;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

bool exceeds(double value, double threshold) {
  if (!(value > threshold)) return false;  // NaN too
  return value - threshold > 1e-9 * std::max(1.0, std::fabs(threshold));
}

std::optional<Severity> parse_severity(std::string_view name) {
  if (name == "info") return Severity::kInfo;
  if (name == "warning") return Severity::kWarning;
  if (name == "critical") return Severity::kCritical;
  return std::nullopt;
}

std::vector<Violation> evaluate_store_up(const StoreList& list, int64_t now_unix_ms,
                                         const StoreUpRule& rule) {
  std::vector<Violation> violations;
  for (const Store& store : list.stores) {
    if (store.state_name == "Up") continue;
    Violation v;
    v.facts.reserve(5 + kAddressFacts);  // one allocation per violation
    v.subject = std::to_string(store.id);
    v.message = store_label_at(store) + " is " + store.state_name;
    if (store.state_name == "Offline") {
      v.message += " (being removed from the cluster)";
      v.severity = rule.offline_severity;
    }
    add_address_facts(store, v.facts);
    v.facts.push_back(text_fact("version", store.version));
    v.facts.push_back(text_fact("last_heartbeat_ts", store.last_heartbeat_ts));
    if (store.last_heartbeat_ns > 0) {
      const double age_s = (static_cast<double>(now_unix_ms) -
                            static_cast<double>(store.last_heartbeat_ns / 1'000'000)) /
                           1000.0;
      if (age_s >= 0)
        v.facts.push_back(number_fact("heartbeat_age_s", std::round(age_s * 10) / 10));
    }
    if (const auto bytes = parse_byte_size(store.capacity)) {
      v.facts.push_back(integer_fact("capacity_bytes", *bytes));
    }
    if (const auto bytes = parse_byte_size(store.available)) {
      v.facts.push_back(integer_fact("available_bytes", *bytes));
    }
    violations.push_back(std::move(v));
  }
  return violations;
}

MetricEvaluation evaluate_latency(const StoreList& list, const std::vector<Sample>& samples,
                                  const LatencyRule& rule) {
  return evaluate_latency(list, StoreIndex(list), samples, rule);
}

MetricEvaluation evaluate_latency(const StoreList& list, const StoreIndex& index,
                                  const std::vector<Sample>& samples, const LatencyRule& rule) {
  MetricEvaluation result;
  std::vector<double> value_of;
  std::vector<bool> has_series;
  join_values(list, index, samples, result, value_of, has_series);
  const std::string name = quantile_name(rule.quantile);
  const std::string key = lower(name) + "_ms";
  judge_stores(list, index.kinds(), kLatencyMetric, has_series, result,
               [&](size_t position, const Store& store) -> std::optional<std::string> {
                 if (!has_series[position]) return no_series_reason(store, kLatencyMetric);
                 const double ms = value_of[position] * 1000.0;
                 if (std::isnan(ms) || ms < 0)
                   return unusable_latency_reason(store, name, ms, rule.rate_window);
                 if (!exceeds(ms, rule.threshold_ms)) return std::nullopt;
                 const std::string shown =
                     std::isinf(ms) ? "+Inf" : format_exceeding(ms, rule.threshold_ms) + "ms";
                 result.violations.push_back(store_violation(
                     store,
                     store_label(store) + " " + name + " latency " + shown + " exceeds threshold " +
                         format_decimal(rule.threshold_ms, 1) + "ms",
                     {number_fact(key, ms), number_fact("quantile", rule.quantile),
                      number_fact("threshold_ms", rule.threshold_ms)}));
                 return std::nullopt;
               });
  return result;
}

MetricEvaluation evaluate_store_slow(const StoreList& list, const StoreSlowRule& rule) {
  MetricEvaluation result;
  std::vector<bool> has_score(list.stores.size());
  size_t running = 0;
  size_t running_with_score = 0;
  for (size_t i = 0; i < list.stores.size(); ++i) {
    const Store& store = list.stores[i];
    has_score[i] = store.slow_score != 0;
    if (has_score[i]) ++result.stores_with_metrics;
    if (expects_metrics(store)) {
      ++running;
      if (has_score[i]) ++running_with_score;
    }
  }
  if (running > 0 && running_with_score == 0) {
    result.stores_expected = running;
    result.failure = "PD's store list gives none of the " + std::to_string(running) +
                     " Up or Offline stores a slow score (status.slow_score); is PD too old "
                     "to report one?";
    return result;
  }
  judge_stores(list, store_kinds(list), "status.slow_score", has_score, result,
               [&](size_t position, const Store& store) -> std::optional<std::string> {
                 if (!has_score[position]) return no_slow_score_reason(store);
                 if (store.slow_score < rule.threshold) return std::nullopt;
                 result.violations.push_back(
                     store_violation(store,
                                     store_label_at(store) + " is slow (PD's slow score " +
                                         std::to_string(store.slow_score) + ", slow from " +
                                         std::to_string(rule.threshold) + ")",
                                     {integer_fact("slow_score", store.slow_score),
                                      integer_fact("threshold", rule.threshold)}));
                 return std::nullopt;
               });
  return result;
}

MetricEvaluation evaluate_disk(const StoreList& list, const std::vector<Sample>& samples,
                               double threshold_percent) {
  return evaluate_disk(list, StoreIndex(list), samples, threshold_percent);
}

MetricEvaluation evaluate_disk(const StoreList& list, const StoreIndex& index,
                               const std::vector<Sample>& samples, double threshold_percent) {
  MetricEvaluation result;
  struct Sizes {
    std::optional<double> capacity, available;
  };
  std::vector<Sizes> sizes(list.stores.size());
  std::vector<bool> has_series(list.stores.size(), false);
  for (const Sample& sample : samples) {
    const auto position = index.find(sample.instance);
    if (!position) {
      if (result.unmatched_series++ == 0) result.unmatched_example = sample.instance;
      continue;
    }
    Sizes& entry = sizes[*position];
    if (sample.type == "capacity") {
      entry.capacity = sample.value;
    } else if (sample.type == "available") {
      entry.available = sample.value;
    } else {
      continue;
    }
    if (!has_series[*position]) ++result.stores_with_metrics;
    has_series[*position] = true;
  }
  judge_stores(
      list, index.kinds(), kDiskMetric, has_series, result,
      [&](size_t position, const Store& store) -> std::optional<std::string> {
        const Sizes& entry = sizes[position];
        if (!entry.capacity && !entry.available) return no_series_reason(store, kDiskMetric);
        if (!entry.capacity || !entry.available)
          return half_disk_reason(store, entry.capacity.has_value());
        const double capacity = *entry.capacity;
        const double available = *entry.available;
        const auto usable = [](double bytes) { return std::isfinite(bytes) && bytes >= 0; };
        if (!usable(capacity)) return unusable_size_reason(store, "capacity", capacity);
        if (!usable(available)) return unusable_size_reason(store, "available", available);
        if (capacity == 0) return zero_capacity_reason(store);
        if (available > capacity) return over_capacity_reason(store, available, capacity);
        const double used_percent = (capacity - available) / capacity * 100.0;
        if (!exceeds(used_percent, threshold_percent)) return std::nullopt;
        result.violations.push_back(store_violation(
            store,
            store_label(store) + " disk usage " +
                format_exceeding(used_percent, threshold_percent) + "% exceeds threshold " +
                format_decimal(threshold_percent, 1) + "%",
            {number_fact("used_percent", used_percent), number_fact("capacity_bytes", capacity),
             number_fact("available_bytes", available),
             number_fact("threshold_percent", threshold_percent)}));
        return std::nullopt;
      });
  return result;
}

ScrapedStores join_scraped(const StoreList& list, const StoreIndex& index,
                           const std::vector<Sample>& samples) {
  ScrapedStores result;
  result.scraped.assign(list.stores.size(), false);
  for (const Sample& sample : samples) {
    if (const auto position = index.find(sample.instance)) {
      result.scraped[*position] = true;
    } else if (result.unmatched_series++ == 0) {
      result.unmatched_example = sample.instance;
    }
  }
  return result;
}

MetricEvaluation evaluate_store_metric(const StoreList& list, const std::vector<Sample>& samples,
                                       const StoreMetricRow& row, double threshold,
                                       std::chrono::milliseconds window) {
  const StoreIndex index(list);
  return evaluate_store_metric(list, index, join_scraped(list, index, samples), samples, row,
                               threshold, window);
}

MetricEvaluation evaluate_store_metric(const StoreList& list, const StoreIndex& index,
                                       const ScrapedStores& scraped,
                                       const std::vector<Sample>& samples,
                                       const StoreMetricRow& row, double threshold,
                                       std::chrono::milliseconds window) {
  MetricEvaluation result;
  const size_t count = list.stores.size();
  // Most stores are in no sample: healthy when scraped.
  std::vector<bool> has_value(count, false);
  std::vector<bool> has_series(count, false);
  std::vector<double> value_of(count, 0.0);
  for (size_t i = 0; i < count && i < scraped.scraped.size(); ++i) {
    has_series[i] = scraped.scraped[i];
  }
  result.unmatched_series = scraped.unmatched_series;
  result.unmatched_example = scraped.unmatched_example;
  for (const Sample& sample : samples) {
    // An instance that is no store's was counted in `scraped` (the answer's
    // instances are among the scraped ones).
    const auto position = index.find(sample.instance);
    if (!position) continue;
    if (sample.condition == "missing") {
      if (!has_value[*position]) has_series[*position] = false;
      continue;
    }
    has_value[*position] = true;
    has_series[*position] = true;
    value_of[*position] = sample.value;
  }
  result.stores_with_metrics =
      static_cast<size_t>(std::count(has_series.begin(), has_series.end(), true));
  const bool above = row.direction == Direction::kAbove;
  const std::string label = store_metric_label(row, window);
  const std::string metric = row.absent_is_zero
                                 ? std::string(row.metric) + " or " + std::string(kDiskMetric)
                                 : std::string(row.metric);
  judge_stores(list, index.kinds(), metric, has_series, result,
               [&](size_t position, const Store& store) -> std::optional<std::string> {
                 if (!has_series[position]) return no_series_reason(store, metric);
                 if (!has_value[position]) return std::nullopt;
                 const double value = value_of[position];
                 if (std::isnan(value)) {
                   if (row.nan_is_idle) return std::nullopt;
                   return unusable_value_reason(store, label, value);
                 }
                 if (std::isinf(value) && (value > 0) != above)
                   return unusable_value_reason(store, label, value);
                 if (above ? !exceeds(value, threshold) : !exceeds(-value, -threshold))
                   return std::nullopt;
                 const std::string shown = std::isinf(value)
                                               ? format_decimal(value, 0)
                                               : (above ? format_exceeding(value, threshold)
                                                        : format_below(value, threshold)) +
                                                     std::string(row.unit);
                 result.violations.push_back(store_violation(
                     store,
                     store_label(store) + " " + label + " " + shown +
                         (above ? " exceeds threshold " : " is below threshold ") +
                         format_decimal(threshold, 1) + std::string(row.unit),
                     {number_fact("value", value), number_fact("threshold", threshold)}));
                 return std::nullopt;
               });
  return result;
}

std::string describe_unknown(const std::vector<UnknownStore>& unknown, size_t max_listed) {
  std::string out;
  const size_t listed = std::min(unknown.size(), max_listed);
  for (size_t i = 0; i < listed; ++i) {
    if (i > 0) out += "; ";
    out += unknown[i].reason;
  }
  if (unknown.size() > listed) out += "; and " + std::to_string(unknown.size() - listed) + " more";
  return out;
}

}  // namespace opr::tikv
