#include "engine/run_recorder.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/evaluator.h"
#include "engine/outcome_log.h"
#include "observe/metrics.h"
#include "tickets/lease_fence.h"
#include "tickets/ticket_store.h"

namespace opr::engine {

namespace {

std::string qualified(const RunOf& run) { return run.target + "/" + run.check.name; }

void log_ticket_changes(const RunOf& run, const tickets::ApplyOutcome& outcome) {
  for (const auto& line : ticket_change_lines(run.target, run.check.name, outcome.changes)) {
    spdlog::info("{}", line);
  }
  for (const auto& opened : outcome.causes_opened) {
    spdlog::warn("{}", cause_opened_line(run.target, opened));
  }
  for (const auto& resolved : outcome.causes_resolved) {
    spdlog::info("{}", cause_resolved_line(run.target, resolved));
  }
}

// The run's own facts and the subjects it could not see, for whoever
// debugs a pack (at most kLoggedUnknown subjects by name).
void log_run_details(const std::string& name, const plugins::RunResult& result) {
  constexpr std::size_t kLoggedUnknown = 10;
  if (!result.facts.empty()) {
    std::string facts;
    for (const auto& fact : result.facts) {
      facts += (facts.empty() ? "" : ", ") + fact.key + "=" + fact.value;
    }
    spdlog::debug("{} run facts: {}", name, facts);
  }
  for (std::size_t i = 0; i < result.unknown.size() && i < kLoggedUnknown; ++i) {
    const auto& unknown = result.unknown[i];
    spdlog::debug("{} could not evaluate {}: {}", name,
                  unknown.subject.empty() ? "the target" : unknown.subject, unknown.reason);
  }
  if (result.unknown.size() > kLoggedUnknown) {
    spdlog::debug("{} could not evaluate {} more subjects", name,
                  result.unknown.size() - kLoggedUnknown);
  }
}

// What became of writing a run's outcome to the ticket store.
struct Written {
  std::optional<tickets::ApplyOutcome> outcome;  // set: written
  std::optional<std::string> error;              // set: the database failed the write
  // Another host holds the target's lease now (this one was paused or cut
  // off past it): not written, and neither the check nor the database
  // failed, so the run is not counted and readiness stays as it was.
  bool lease_lost = false;
};

// Runs `write` (the store's apply_success or apply_failure for run `name`);
// a lost lease is logged here, the one place that says so.
template <typename Write>
Written write_outcome(const std::string& name, Write write) {
  Written result;
  try {
    result.outcome = write();
  } catch (const tickets::LeaseLost& e) {
    result.lease_lost = true;
    spdlog::warn("{}: {}", name, e.what());
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  return result;
}

// Runs `chore` and logs what it did; a database that fails it is logged
// too, and the cycle goes on.
template <typename Chore>
void store_chore(const char* what, Chore chore) {
  try {
    chore();
  } catch (const std::exception& e) {
    spdlog::error("could not {}: {}", what, e.what());
  }
}

}  // namespace

RunRecorder::RunRecorder(tickets::TicketStore& store, observe::Metrics* metrics)
    : store_(store), metrics_(metrics) {}

void RunRecorder::count(const RunOf& run, observe::RunOutcome outcome,
                        std::chrono::milliseconds duration, std::size_t violations, bool returned,
                        const std::optional<std::string>& write_error) {
  ++stats_.runs;
  stats_.violations += static_cast<int>(violations);
  if (outcome == observe::RunOutcome::failed) ++stats_.failures;
  if (metrics_ != nullptr) {
    metrics_->record_run(run.target, run.check.name, outcome, duration, violations, returned,
                         now_ms());
  }
  written(write_error);
}

void RunRecorder::failure(const RunOf& run, const std::string& error,
                          std::chrono::milliseconds duration, bool returned,
                          const std::string& cause, bool ended_at_timeout) {
  const std::string name = qualified(run);
  tickets::FailedRun failed;
  failed.target = run.target;
  failed.check = run.check.name;
  failed.error = error;
  failed.cause = cause;
  failed.ended_at_timeout = ended_at_timeout;
  failed.threshold = failure_threshold_;
  failed.severity = run.check.failed_severity;
  failed.at = now_ms();
  const Written write = write_outcome(name, [&] { return store_.apply_failure(failed); });
  if (!write.lease_lost) {
    count(run, observe::RunOutcome::failed, duration, 0, returned, write.error);
  }
  if (write.outcome) {
    spdlog::warn("{} failed ({} in a row): {}", name, write.outcome->consecutive_failures, error);
    log_ticket_changes(run, *write.outcome);
  } else if (write.error) {
    spdlog::warn("{} failed: {}", name, error);
    spdlog::error("could not record the failure of {}: {}", name, *write.error);
  }
  CheckReport report;
  report.target = run.target;
  report.check = run.check.name;
  report.error = error;
  report.cause = cause;
  report.duration = duration;
  keep(run, std::move(report));
}

void RunRecorder::success(const RunOf& run, const plugins::RunResult& result,
                          const std::string& batch) {
  const std::string name = qualified(run);
  const Written write = write_outcome(name, [&] {
    return store_.apply_success(successful_run(run.target, run.check, result, now_ms(), batch));
  });
  if (!write.lease_lost) {
    count(run, result.violations.empty() ? observe::RunOutcome::ok : observe::RunOutcome::violated,
          result.duration, result.violations.size(), true, write.error);
  }
  // Subject -> when its grace ends, for the violations still inside it.
  std::unordered_map<std::string, TimePoint> in_grace;
  if (const auto& outcome = write.outcome) {
    spdlog::debug(
        "{} ok in {} ms: {} violations, {} unknown subjects ({} opened, {} updated, {} pending, "
        "{} resolved, {} kept as unknown)",
        name, result.duration.count(), result.violations.size(), result.unknown.size(),
        outcome->opened, outcome->updated, outcome->pending, outcome->resolved, outcome->unknown);
    log_ticket_changes(run, *outcome);
    for (const auto& pending : outcome->in_grace) in_grace.emplace(pending.subject, pending.until);
  } else if (write.error) {
    spdlog::error("could not record the result of {}: {}", name, *write.error);
  }
  if (spdlog::should_log(spdlog::level::debug)) log_run_details(name, result);
  if (!keep_reports_) return;
  CheckReport report;
  report.target = run.target;
  report.check = run.check.name;
  report.ok = true;
  report.duration = result.duration;
  for (const auto& v : result.violations) {
    report.violations.push_back(
        {v.subject, v.message, effective_severity(v.severity, run.check.severity), {}});
    // A subject names one violation key: its grace is the one the store kept.
    if (const auto pending = in_grace.find(v.subject); pending != in_grace.end()) {
      report.violations.back().in_grace_until = pending->second;
    }
  }
  report.unknown = result.unknown;
  keep(run, std::move(report));
}

std::string RunRecorder::end_cycle(bool chores) {
  int64_t open = -1;
  store_chore("count open tickets", [&] { open = store_.count_open(); });
  if (chores) time_chores();
  const std::string line = heartbeat_line(stats_.runs, stats_.violations, stats_.failures, open);
  stats_ = {};
  return line;
}

void RunRecorder::time_chores() {
  // Flapping stops by the passing of time, so it is looked for here.
  store_chore("look for flapping that stopped", [&] {
    if (const auto stopped = store_.stop_flapping(now_ms()); !stopped.empty()) {
      spdlog::info("{} stopped flapping", ticket_list(stopped));
    }
  });
  // So does an acknowledgement given with an end: it ends here even when
  // nobody runs the command line.
  store_chore("look for acknowledgements that expired", [&] {
    if (const auto expired = store_.expire_acknowledgements(now_ms()); !expired.empty()) {
      spdlog::info("the acknowledgement of {} expired: open again", ticket_list(expired));
    }
  });
  store_chore("repeat notifications", [&] {
    if (const int repeated = store_.repeat_notifications(now_ms()); repeated > 0) {
      spdlog::info("{} notification(s) repeated for open tickets nobody acknowledged", repeated);
    }
  });
}

std::vector<CheckReport> RunRecorder::take_reports() {
  std::stable_sort(reports_.begin(), reports_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<CheckReport> result;
  result.reserve(reports_.size());
  for (auto& [order, report] : reports_) result.push_back(std::move(report));
  reports_.clear();
  return result;
}

void RunRecorder::keep(const RunOf& run, CheckReport report) {
  if (keep_reports_) reports_.emplace_back(run.order, std::move(report));
}

void RunRecorder::written(const std::optional<std::string>& error) const {
  if (metrics_ != nullptr) metrics_->record_write(error);
}

}  // namespace opr::engine
