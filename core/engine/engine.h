// The monitor's loop: runs every enabled check of every target on its
// schedule on a worker pool, turns each result into ticket changes, logs a
// heartbeat per cycle, and reloads or stops when asked.
//
// A cycle is one heartbeat period: the shortest interval among enabled
// checks. Runs that start in the same cycle share its start time, which
// makes the batch key of the tickets they open ("<target>@<cycle start>").
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/check_report.h"
#include "engine/cycle_recording.h"
#include "engine/setup.h"

namespace opr::tickets {
class TicketStore;
}

namespace opr::observe {
class Metrics;
}

namespace opr::engine {

class Ownership;

class Engine {
 public:
  // `store` must outlive the engine. `reload` is called on request_reload();
  // without one, reload requests are ignored. `metrics`, when given, must
  // outlive the engine: it hears of every run, cycle, reload and result
  // written (observe/metrics.h). `ownership`, when given (several hosts on
  // PostgreSQL), must outlive the engine: only the targets it lets this
  // host run are run, and the database-wide chores only when it says so.
  Engine(Setup setup, tickets::TicketStore& store, SetupLoader reload = {},
         observe::Metrics* metrics = nullptr, Ownership* ownership = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Runs until request_stop(), then cancels running checks, waits for them
  // and for the packs' destroy() up to the config's shutdown_timeout (plus
  // at most half a second for destroy() when the runs took all of it), and
  // returns.
  void run();
  // Runs every enabled check once (one instance's checks one after another),
  // applies the results like a normal cycle and returns them in config order.
  std::vector<CheckReport> run_once();

  // Thread-safe; used by the signal thread.
  void request_stop();
  void request_reload();
  // request_reload(), and what came of it once the engine's thread has
  // applied it: nullopt when the new config took effect, else why not (the
  // running config stays). Thread-safe; POST /-/reload waits on it.
  std::future<std::optional<std::string>> request_reload_with_result();
  // This host has just taken `targets` over (Ownership): their enabled
  // checks run now rather than at their next due time, so a takeover
  // costs no more than the lease. Thread-safe.
  void run_now(std::vector<std::string> targets);

  // Records the next run of every enabled check (engine/cycle_recording.h):
  // each runs on an instance created for it and destroyed after, so that
  // what the target's own instance keeps between runs (a cached store list)
  // is asked for again and is in the recording; the target's isolation
  // holds (a runner makes the requests and sends them back). Nullopt when
  // armed, else why not (one recording at a time; the monitor is
  // stopping). Thread-safe; called before run_once(), it records that run.
  std::optional<std::string> request_recording(RecordSink sink);

  // True when a run, create() or destroy() was still inside a pack when
  // run()/run_once() returned (each is logged with its pack). Its instance
  // is kept alive on purpose; the process should then end with std::_Exit
  // after closing the store, so no static destructor races it.
  bool has_abandoned_runs() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace opr::engine
