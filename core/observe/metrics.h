// What the monitor counts about itself, for /metrics and /-/ready: the
// engine records each run, cycle, reload and database write here (one lock
// per call, no I/O, nothing that grows with the number of stores), and a
// scrape renders it. Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/time_format.h"
#include "observe/exposition.h"

namespace opr::observe {

// How a run ended: ok (no violation), violated (ok, with violations) or
// failed (could not evaluate, timed out, not run).
enum class RunOutcome { ok, violated, failed };

// A target is stalled, and the monitor unready, when its last completed
// cycle is older than this many times its interval.
inline constexpr int kStalledCycles = 3;

// The run-duration histogram's upper bounds, in seconds.
inline constexpr std::array<double, 13> kDurationBuckets = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

// A target as the engine schedules it: its enabled checks and their
// intervals.
struct TargetSchedule {
  std::string name;
  std::vector<std::pair<std::string, std::chrono::milliseconds>> checks;
};

class Metrics {
 public:
  // ---- the engine's side ----

  // At start and after every good reload: the targets now watched. A check
  // that is new (or a target's, since the last call) counts its cycle from
  // `now`, so one that never completes shows as stalled; those kept keep
  // their times. Counters of checks that went away are kept.
  void schedule(const std::vector<TargetSchedule>& targets, TimePoint now);
  // The engine runs (false once it stops: the monitor is not ready).
  void set_running(bool running);
  // One run of target/check. `returned`: the pack answered before its
  // deadline, ok or failed (a timeout or a run that could not start did
  // not): it completes the check's part of its target's cycle.
  void record_run(std::string_view target, std::string_view check, RunOutcome outcome,
                  std::chrono::milliseconds duration, size_t violations, bool returned,
                  TimePoint at);
  // A write of results to the ticket database went well, or failed (why).
  void record_write(const std::optional<std::string>& error);
  // The config the monitor started with took effect at `at`.
  void config_loaded(TimePoint at);
  // A config reload (SIGHUP, POST /-/reload).
  void record_reload(bool ok, TimePoint at);
  // Pack files that failed to load for the running config.
  void set_pack_load_failures(size_t count);

  // ---- a scrape's side ----

  // Every family above, into `out`.
  void render(Exposition& out) const;
  // Why the monitor is not ready at `now`, one reason a line; empty when it
  // is. The database's own probe is the caller's (observe/listener.h).
  std::vector<std::string> unready_reasons(TimePoint now) const;

 private:
  struct CheckSeries {
    std::array<uint64_t, 3> runs{};                           // by RunOutcome
    std::array<uint64_t, kDurationBuckets.size()> buckets{};  // not cumulative
    uint64_t count = 0;
    double seconds = 0;
    uint64_t violations = 0;
    // Watched now: its interval, and since when its part of a cycle counts.
    std::optional<std::chrono::milliseconds> interval;
    TimePoint completed{};
    std::chrono::milliseconds previous_interval{0};  // schedule()'s scratch
  };
  using Checks = std::map<std::string, CheckSeries, std::less<>>;

  // The oldest completion among a target's watched checks, and their
  // longest interval; nullopt when none is watched.
  struct Cycle {
    TimePoint completed;
    std::chrono::milliseconds interval;
  };
  static std::optional<Cycle> cycle_of(const Checks& checks);

  mutable std::mutex mutex_;
  std::map<std::string, Checks, std::less<>> targets_;
  bool running_ = false;
  std::optional<std::string> write_error_;
  uint64_t reloads_ok_ = 0;
  uint64_t reloads_failed_ = 0;
  bool last_reload_ok_ = true;
  std::optional<TimePoint> last_good_reload_;
  size_t pack_load_failures_ = 0;
};

}  // namespace opr::observe
