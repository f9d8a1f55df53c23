// Where the results of runs go: the ticket store, the run metrics, the
// cycle's statistics and heartbeat, and the reports of `--once`. The engine
// decides when a check ran and how it ended; this decides what that
// changes. Used on the engine's thread only.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "engine/check_report.h"
#include "plugins/pack_instance.h"

namespace opr::tickets {
class TicketStore;
}
namespace opr::observe {
class Metrics;
enum class RunOutcome;
}

namespace opr::engine {

// The check a result belongs to.
struct RunOf {
  const std::string& target;
  const config::CheckConfig& check;
  std::size_t order = 0;  // position in the config: --once reports are in this order
};

class RunRecorder {
 public:
  // `store` and `metrics` (null: nobody watches) must outlive the recorder.
  RunRecorder(tickets::TicketStore& store, observe::Metrics* metrics);

  // Failures in a row that open a check's (or a cause's) ticket; from the
  // config's defaults, again at each reload.
  void set_failure_threshold(int threshold) { failure_threshold_ = threshold; }
  // In --once mode every result is also kept as a CheckReport.
  void keep_reports(bool keep) { keep_reports_ = keep; }

  // A run that failed with `error`. `returned`: the pack answered in time
  // (with a failure), which completes the check's part of a cycle; a
  // timeout or a run that could not start does not. `cause`: the
  // dependency the failure counts for (ABI 1.3), or "". `ended_at_timeout`:
  // the host ended the run (tickets::FailedRun::ended_at_timeout).
  void failure(const RunOf& run, const std::string& error, std::chrono::milliseconds duration,
               bool returned = false, const std::string& cause = {}, bool ended_at_timeout = false);
  // A run that went well; `batch` is the cycle's batch key.
  void success(const RunOf& run, const plugins::RunResult& result, const std::string& batch);

  // Ends a cycle: the store's chores that time drives (flapping that
  // stopped, acknowledgements that expired, notifications to repeat), each
  // logged, when `chores` (several hosts: only the one that holds the
  // chores' lease does them, or a page repeats twice), then the heartbeat
  // line (outcome_log.h) for the runs since the last one. The counts start
  // again at zero.
  std::string end_cycle(bool chores = true);

  // How many reports were kept, and the reports in config order.
  std::size_t report_count() const { return reports_.size(); }
  std::vector<CheckReport> take_reports();

 private:
  struct CycleStats {
    int runs = 0;
    int violations = 0;
    int failures = 0;
  };

  // The store's chores that time drives, each logged.
  void time_chores();
  void keep(const RunOf& run, CheckReport report);
  // A result's write to the ticket database went well (nullopt) or not.
  void written(const std::optional<std::string>& error) const;
  // A run whose result was written, or whose write the database failed:
  // the cycle's counts, the run metrics and readiness hear of it. (A run
  // whose lease was lost counts nowhere.)
  void count(const RunOf& run, observe::RunOutcome outcome, std::chrono::milliseconds duration,
             std::size_t violations, bool returned, const std::optional<std::string>& write_error);

  tickets::TicketStore& store_;
  observe::Metrics* metrics_;
  int failure_threshold_ = config::Defaults{}.failure_threshold;
  bool keep_reports_ = false;
  std::vector<std::pair<std::size_t, CheckReport>> reports_;
  CycleStats stats_;
};

}  // namespace opr::engine
