#include "observe/metrics.h"

#include <operator/plugin.h>

#include <algorithm>

#include "common/duration.h"

#ifndef OPERATOR_VERSION
#define OPERATOR_VERSION "unknown"
#endif

namespace opr::observe {

namespace {

constexpr std::array<std::string_view, 3> kOutcomes = {"ok", "violated", "failed"};

double seconds_of(TimePoint at) {
  return std::chrono::duration<double>(at.time_since_epoch()).count();
}

double seconds_of(std::chrono::milliseconds duration) {
  return std::chrono::duration<double>(duration).count();
}

// The bucket bounds as the `le` label writes them, made once.
const std::array<std::string, kDurationBuckets.size()>& bucket_labels() {
  static const auto labels = [] {
    std::array<std::string, kDurationBuckets.size()> out;
    for (size_t i = 0; i < kDurationBuckets.size(); ++i) out[i] = format_value(kDurationBuckets[i]);
    return out;
  }();
  return labels;
}

}  // namespace

void Metrics::schedule(const std::vector<TargetSchedule>& targets, TimePoint now) {
  std::lock_guard lock(mutex_);
  for (auto& [name, checks] : targets_) {
    for (auto& [check, series] : checks) {
      series.previous_interval = series.interval.value_or(std::chrono::milliseconds(0));
      series.interval.reset();
    }
  }
  for (const auto& target : targets) {
    auto& checks = targets_[target.name];
    for (const auto& [check, interval] : target.checks) {
      auto& series = checks[check];
      // Watched before with the same interval: its cycle goes on; new,
      // watched again or changed: it starts now.
      if (series.previous_interval != interval) series.completed = now;
      series.interval = interval;
    }
  }
}

void Metrics::set_running(bool running) {
  std::lock_guard lock(mutex_);
  running_ = running;
}

void Metrics::record_run(std::string_view target, std::string_view check, RunOutcome outcome,
                         std::chrono::milliseconds duration, size_t violations, bool returned,
                         TimePoint at) {
  const double seconds = seconds_of(duration);
  const auto bucket = static_cast<size_t>(
      std::lower_bound(kDurationBuckets.begin(), kDurationBuckets.end(), seconds) -
      kDurationBuckets.begin());
  std::lock_guard lock(mutex_);
  auto target_it = targets_.find(target);
  if (target_it == targets_.end()) target_it = targets_.emplace(target, Checks{}).first;
  auto check_it = target_it->second.find(check);
  if (check_it == target_it->second.end()) {
    check_it = target_it->second.emplace(check, CheckSeries{}).first;
  }
  CheckSeries& series = check_it->second;
  ++series.runs[static_cast<size_t>(outcome)];
  if (bucket < series.buckets.size()) ++series.buckets[bucket];
  ++series.count;
  series.seconds += seconds;
  series.violations += violations;
  if (returned) series.completed = std::max(series.completed, at);
}

void Metrics::record_write(const std::optional<std::string>& error) {
  std::lock_guard lock(mutex_);
  write_error_ = error;
}

void Metrics::config_loaded(TimePoint at) {
  std::lock_guard lock(mutex_);
  last_good_reload_ = at;
}

void Metrics::record_reload(bool ok, TimePoint at) {
  std::lock_guard lock(mutex_);
  ++(ok ? reloads_ok_ : reloads_failed_);
  last_reload_ok_ = ok;
  if (ok) last_good_reload_ = at;
}

void Metrics::set_pack_load_failures(size_t count) {
  std::lock_guard lock(mutex_);
  pack_load_failures_ = count;
}

std::optional<Metrics::Cycle> Metrics::cycle_of(const Checks& checks) {
  std::optional<Cycle> cycle;
  for (const auto& [name, series] : checks) {
    if (!series.interval) continue;
    if (!cycle) {
      cycle = Cycle{series.completed, *series.interval};
    } else {
      cycle->completed = std::min(cycle->completed, series.completed);
      cycle->interval = std::max(cycle->interval, *series.interval);
    }
  }
  return cycle;
}

void Metrics::render(Exposition& out) const {
  std::lock_guard lock(mutex_);
  out.family("operator_build_info", "gauge",
             "The version of operator-host and of the pack ABI it speaks; always 1.");
  const std::string abi = std::to_string(OP_ABI_MAJOR) + "." + std::to_string(OP_ABI_MINOR);
  out.sample("operator_build_info", {{"version", OPERATOR_VERSION}, {"abi", abi}}, uint64_t{1});

  out.family("operator_check_runs_total", "counter",
             "Runs of each target's checks by outcome: ok (no violation), violated (ok, with "
             "violations), failed (could not evaluate, timed out or could not run).");
  for (const auto& [target, checks] : targets_) {
    for (const auto& [check, series] : checks) {
      for (size_t i = 0; i < kOutcomes.size(); ++i) {
        out.sample("operator_check_runs_total",
                   {{"target", target}, {"check", check}, {"outcome", kOutcomes[i]}},
                   series.runs[i]);
      }
    }
  }

  out.family("operator_check_run_duration_seconds", "histogram",
             "How long each run of a check took, failed runs included.");
  for (const auto& [target, checks] : targets_) {
    for (const auto& [check, series] : checks) {
      uint64_t cumulative = 0;
      for (size_t i = 0; i < kDurationBuckets.size(); ++i) {
        cumulative += series.buckets[i];
        out.sample("operator_check_run_duration_seconds_bucket",
                   {{"target", target}, {"check", check}, {"le", bucket_labels()[i]}}, cumulative);
      }
      out.sample("operator_check_run_duration_seconds_bucket",
                 {{"target", target}, {"check", check}, {"le", "+Inf"}}, series.count);
      out.sample("operator_check_run_duration_seconds_sum", {{"target", target}, {"check", check}},
                 series.seconds);
      out.sample("operator_check_run_duration_seconds_count",
                 {{"target", target}, {"check", check}}, series.count);
    }
  }

  out.family("operator_violations_reported_total", "counter",
             "Violations reported by successful runs, before grace periods.");
  for (const auto& [target, checks] : targets_) {
    for (const auto& [check, series] : checks) {
      out.sample("operator_violations_reported_total", {{"target", target}, {"check", check}},
                 series.violations);
    }
  }

  out.family("operator_target_last_completed_cycle_timestamp_seconds", "gauge",
             "When every enabled check of the target had last completed a run (the pack "
             "answered in time, ok or failed); the time watching began until then.");
  for (const auto& [target, checks] : targets_) {
    if (const auto cycle = cycle_of(checks)) {
      out.sample("operator_target_last_completed_cycle_timestamp_seconds", {{"target", target}},
                 seconds_of(cycle->completed));
    }
  }
  out.family("operator_target_interval_seconds", "gauge",
             "The longest interval among the target's enabled checks.");
  for (const auto& [target, checks] : targets_) {
    if (const auto cycle = cycle_of(checks)) {
      out.sample("operator_target_interval_seconds", {{"target", target}},
                 seconds_of(cycle->interval));
    }
  }

  out.family("operator_pack_load_failures", "gauge",
             "Pack files that failed to load at the last good config load.");
  out.sample("operator_pack_load_failures", {}, static_cast<uint64_t>(pack_load_failures_));

  out.family("operator_config_reloads_total", "counter",
             "Config reloads (SIGHUP, POST /-/reload) by result.");
  out.sample("operator_config_reloads_total", {{"result", "success"}}, reloads_ok_);
  out.sample("operator_config_reloads_total", {{"result", "failure"}}, reloads_failed_);
  out.family("operator_config_last_reload_successful", "gauge",
             "1 when the last config reload took (or none was tried), 0 when it failed.");
  out.sample("operator_config_last_reload_successful", {}, uint64_t{last_reload_ok_ ? 1u : 0u});
  out.family("operator_config_last_reload_success_timestamp_seconds", "gauge",
             "When the running config took effect (at start or by a reload).");
  if (last_good_reload_) {
    out.sample("operator_config_last_reload_success_timestamp_seconds", {},
               seconds_of(*last_good_reload_));
  }
}

std::vector<std::string> Metrics::unready_reasons(TimePoint now) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> reasons;
  if (!running_) {
    reasons.emplace_back("the monitor is not running its checks (starting or stopping)");
    return reasons;
  }
  if (write_error_) {
    reasons.push_back("the ticket database is not writable: the last write failed: " +
                      *write_error_);
  }
  for (const auto& [target, checks] : targets_) {
    const auto cycle = cycle_of(checks);
    if (!cycle) continue;
    const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now - cycle->completed);
    if (age > kStalledCycles * cycle->interval) {
      reasons.push_back("target '" + target + "' has not completed a cycle for " +
                        format_duration(std::chrono::duration_cast<std::chrono::seconds>(age)) +
                        " (more than " + std::to_string(kStalledCycles) + " times its interval " +
                        format_duration(cycle->interval) + ")");
    }
  }
  return reasons;
}

}  // namespace opr::observe
