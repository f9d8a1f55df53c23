#include "pd_metric_evaluation.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <string_view>
#include <utility>

#include "promql.h"
#include "text.h"

namespace opr::tikv {
namespace {

// The shortest text of a threshold: "1", "0.1", "80".
std::string threshold_text(double value) {
  char buffer[64];
  const auto written = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, written.ptr);
}

// A value beside its threshold: whole counts without decimals, others with
// the digits that show them above the threshold ("0.12", never "0.1").
std::string value_text(double value, double threshold, bool whole) {
  if (std::isinf(value)) return format_decimal(value, 0);
  if (whole && value == std::trunc(value) && std::fabs(value) < 1e15) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
  }
  return format_exceeding(value, threshold);
}

void replace_all(std::string& text, std::string_view what, const std::string& with) {
  for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += with.size())
    text.replace(at, what.size(), with);
}

// What one condition is evaluated with.
struct Context {
  const PdMetricRow& row;
  const PdCondition& condition;
  double threshold;
  std::span<const std::chrono::milliseconds> windows;
};

// How a subject's value reads: nullopt when it was evaluated (and any
// violation added to `result`), else why it is unknown.
std::optional<std::string> judge(const Context& c, double value, const std::string& subject,
                                 const std::string& name, const PdMember* member,
                                 const std::string& instance, PdMetricEvaluation& result) {
  if (std::isnan(value)) {
    if (c.condition.nan_is_idle) return std::nullopt;  // nothing observed, nothing slow
    return name + " is NaN, an unusable value";
  }
  if (value < 0) return name + " is " + format_decimal(value, 0) + ", an unusable value";
  if (!exceeds(value, c.threshold)) return std::nullopt;
  Violation v;
  v.subject = subject;
  v.severity = c.condition.level == c.row.level        ? Severity::kConfigured
               : c.condition.level == Level::kCritical ? Severity::kCritical
                                                       : Severity::kWarning;
  std::string message = pd_replace_windows(c.row, c.condition.message, c.windows);
  replace_all(message, "{value}", value_text(value, c.threshold, c.condition.whole));
  replace_all(message, "{threshold}", threshold_text(c.threshold));
  if (member) {
    const std::string urls = pd_member_urls(*member);
    replace_all(message, "{member}",
                pd_member_subject(*member) + (urls.empty() ? "" : " at " + urls));
  }
  v.message = std::move(message);
  v.facts.reserve(8);
  v.facts.push_back(text_fact("condition", std::string(c.condition.key)));
  v.facts.push_back(number_fact("value", value));
  v.facts.push_back(number_fact("threshold", c.threshold));
  if (member) {
    v.facts.push_back(text_fact("name", member->name));
    v.facts.push_back(text_fact("member_id", std::to_string(member->member_id)));
    v.facts.push_back(text_fact("client_urls", pd_member_urls(*member)));
  }
  if (!instance.empty()) v.facts.push_back(text_fact("instance", instance));
  result.violations.push_back(std::move(v));
  return std::nullopt;
}

// A member-scope condition: one subject per member, by name. Returns why no
// member could be evaluated, or nullopt when one was.
std::optional<std::string> evaluate_members(const Context& c, const std::vector<Sample>& samples,
                                            const std::vector<const PdMember*>& members,
                                            const std::map<std::string, size_t>& by_instance,
                                            PdMetricEvaluation& result) {
  const std::string metric(c.condition.metric);
  std::vector<std::optional<std::pair<double, std::string>>> value_of(members.size());
  size_t with_series = 0;
  size_t unmatched = 0;
  std::string unmatched_example;
  for (const Sample& s : samples) {
    if (s.condition != c.condition.key) continue;
    const auto it = by_instance.find(s.instance);
    if (it == by_instance.end()) {
      if (unmatched++ == 0) unmatched_example = s.instance;
      continue;
    }
    if (!value_of[it->second]) ++with_series;
    value_of[it->second] = std::pair{s.value, s.instance};
  }
  if (unmatched > 0 && result.unmatched_series == 0) result.unmatched_example = unmatched_example;
  result.unmatched_series += unmatched;
  const size_t evaluated_before = result.subjects_evaluated;
  std::string first_reason;
  for (size_t i = 0; i < members.size(); ++i) {
    const PdMember& member = *members[i];
    const std::string subject = pd_condition_subject(c.row, c.condition, &member);
    std::optional<std::string> reason;
    if (!value_of[i]) {
      const auto instances = member_instances(member);
      reason = "no " + metric + " series for PD member " + pd_member_subject(member) +
               (instances.empty() ? " (PD gives it no client URL)"
                                  : " (instance " + instances.front() + ")");
    } else {
      reason = judge(c, value_of[i]->first, subject,
                     "PD member " + pd_member_subject(member) + "'s " + metric, &member,
                     value_of[i]->second, result);
    }
    if (!reason) {
      ++result.subjects_evaluated;
      continue;
    }
    if (first_reason.empty()) first_reason = *reason;
    result.unknown.push_back({subject, std::move(*reason)});
  }
  if (result.subjects_evaluated > evaluated_before) return std::nullopt;
  if (with_series > 0) return first_reason;
  std::string reason = "Prometheus has no " + metric + " series for any of the " +
                       std::to_string(members.size()) + " PD members; is it scraping PD?";
  if (unmatched > 0) {
    reason += " (" + std::to_string(unmatched) + " series have an instance label, e.g. '" +
              unmatched_example + "', that is no PD member's client URL host:port)";
  }
  return reason;
}

// A leader-only or cluster-wide condition: one subject, its key.
std::optional<std::string> evaluate_one(const Context& c, const std::vector<Sample>& samples,
                                        PdMetricEvaluation& result) {
  const std::string subject = pd_condition_subject(c.row, c.condition, nullptr);
  const std::string metric(c.condition.metric);
  const Sample* worst = nullptr;
  for (const Sample& s : samples) {
    if (s.condition != c.condition.key) continue;
    // Two leaders' series while Prometheus catches up with a change: the
    // larger value, so that neither hides a fault.
    if (!worst || std::isnan(worst->value) || s.value > worst->value) worst = &s;
  }
  std::optional<std::string> reason;
  if (!worst) {
    reason = c.condition.scope == PdScope::kLeader
                 ? "no " + metric + " series from PD's leader for " + subject +
                       " (none from a member whose etcd_server_is_leader is 1: PD has no "
                       "leader, or Prometheus does not scrape it)"
                 : "no " + metric + " series for " + subject + "; is Prometheus scraping PD?";
  } else {
    reason =
        judge(c, worst->value, subject, subject + "'s value", nullptr, worst->instance, result);
  }
  if (!reason) {
    ++result.subjects_evaluated;
    return std::nullopt;
  }
  result.unknown.push_back({subject, *reason});
  return reason;
}

}  // namespace

std::string pd_condition_subject(const PdMetricRow& row, const PdCondition& condition,
                                 const PdMember* member) {
  if (!member) return std::string(condition.key);
  std::string subject = pd_member_subject(*member);
  if (row.conditions.size() > 1) subject += ":" + std::string(condition.key);
  return subject;
}

PdMetricEvaluation evaluate_pd_metric(const PdMetricRow& row, const std::vector<Sample>& samples,
                                      std::span<const double> thresholds,
                                      std::span<const std::chrono::milliseconds> windows,
                                      const std::vector<PdMember>& members) {
  PdMetricEvaluation result;
  std::vector<const PdMember*> sorted;
  std::map<std::string, size_t> by_instance;
  if (reads_members(row)) {
    if (members.empty()) {
      result.failure =
          "PD's member list names no members; a PD without members is not monitored (is this "
          "the right PD?)";
      return result;
    }
    for (const PdMember& m : members) sorted.push_back(&m);
    std::sort(sorted.begin(), sorted.end(), [](const PdMember* a, const PdMember* b) {
      return a->name != b->name ? a->name < b->name : a->member_id < b->member_id;
    });
    for (size_t i = 0; i < sorted.size(); ++i) {
      for (std::string& instance : member_instances(*sorted[i])) by_instance.emplace(instance, i);
    }
  }
  std::vector<std::string> reasons;  // of each condition nothing could be evaluated for
  for (size_t i = 0; i < row.conditions.size(); ++i) {
    const Context c{row, row.conditions[i], i < thresholds.size() ? thresholds[i] : 0, windows};
    const auto reason = c.condition.scope == PdScope::kMember
                            ? evaluate_members(c, samples, sorted, by_instance, result)
                            : evaluate_one(c, samples, result);
    if (reason) reasons.push_back(*reason);
  }
  if (result.subjects_evaluated > 0) return result;
  std::string failure = reasons.size() == 1 ? reasons.front() : "nothing could be evaluated: ";
  for (size_t i = 0; reasons.size() > 1 && i < reasons.size(); ++i)
    failure += (i > 0 ? "; " : "") + reasons[i];
  result.failure = std::move(failure);
  result.violations.clear();
  result.unknown.clear();
  return result;
}

}  // namespace opr::tikv
