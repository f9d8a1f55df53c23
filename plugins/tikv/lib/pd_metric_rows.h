// The PD-side metric checks: one table row per check, after the alerts of
// tikv/pd's metrics/alertmanager/pd.rules.yml that read PD's own /metrics.
// A row is a few conditions, each a PromQL expression with its threshold,
// level and words; the check sends them all as ONE query per run, each
// condition's series tagged with a `condition` label (pd_metric_query()),
// and evaluate_pd_metric() (pd_metric_evaluation.h) compares them in C++.
// Adding a check is adding a row (and its tests), not a class.
#pragma once

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "store_metric_rows.h"

namespace opr::tikv {

// Whose series a condition reads.
enum class PdScope {
  // One series per PD member (`by (instance)`), joined to PD's members on
  // instance == host:port of a client URL; subject: the member.
  kMember,
  // The series of the member etcd names leader only (upstream's `and
  // (sum(etcd_server_is_leader) by (instance) > 0)`): followers export stale
  // values. Subject: the condition's key.
  kLeader,
  // One series for the whole cluster, no `instance`; subject: the key.
  kCluster,
};

struct PdCondition {
  std::string_view key{};       // "miss-peer": the subject, or the suffix of a member's
  std::string_view upstream{};  // the pd.rules.yml alert it follows
  std::string_view metric{};    // PD's metric family, named when it is missing
  PdScope scope = PdScope::kMember;
  // PromQL giving one series per instance (kMember, kLeader) or one series
  // (kCluster); "{window}" and "{change_window}" stand for the row's windows.
  std::string_view expression{};
  std::string_view threshold_param{};    // the check's parameter, e.g. "miss_peer_threshold"
  std::string_view threshold_default{};  // upstream's threshold, as text
  Level level = Level::kWarning;         // upstream's level (emergency/critical -> critical)
  // A histogram quantile that is NaN had nothing to observe in the window
  // (an idle histogram): healthy, not unknown.
  bool nan_is_idle = false;
  // A counter that PD exports only once it counted something: a member that
  // Prometheus scrapes (it exports etcd_server_is_leader) reads 0.
  bool absent_is_zero = false;
  bool whole = false;  // a count: shown without decimals
  // The violation's words: "{value}", "{threshold}", "{window}",
  // "{change_window}" and (kMember) "{member}" are replaced.
  std::string_view message{};
};

// A range of the row's PromQL, one parameter of the check.
struct PdWindow {
  std::string_view param{};         // "rate_window"
  std::string_view placeholder{};   // "{window}"
  std::string_view default_text{};  // "1m"
  std::string_view doc{};
};

struct PdMetricRow {
  std::string_view name{};
  std::string_view description{};
  Level level = Level::kWarning;   // the check's severity: its most severe condition's
  std::chrono::seconds grace{60};  // upstream `for:`
  std::span<const PdCondition> conditions{};
  std::span<const PdWindow> windows{};
};

inline constexpr size_t kPdMetricRowCount = 5;
std::span<const PdMetricRow> pd_metric_rows();

// True when some condition of `row` reads members (kMember): only then does
// the check need PD's member list.
bool reads_members(const PdMetricRow& row);

// The check's one query: every condition's expression with the windows
// (`windows[i]` for row.windows[i]) substituted, absent counters read as 0
// and leader-only conditions kept to the leader's series, each tagged
// `condition="<key>"` by label_replace, joined by `or`. Throws
// std::invalid_argument for a window that is not positive or a count that
// does not match the row's.
std::string pd_metric_query(const PdMetricRow& row,
                            std::span<const std::chrono::milliseconds> windows);

// `text` with the row's window placeholders replaced.
std::string pd_replace_windows(const PdMetricRow& row, std::string_view text,
                               std::span<const std::chrono::milliseconds> windows);

}  // namespace opr::tikv
