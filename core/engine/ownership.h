// Which targets this host may run, when several hosts share them (on
// PostgreSQL, cluster/lease_keeper.h). The engine asks before each run and
// says when the run ended, so a target is never given up mid-run. Without
// one (SQLite), every target is this host's and the engine asks nothing.
#pragma once

#include <chrono>
#include <string>

namespace opr::engine {

class Ownership {
 public:
  virtual ~Ownership() = default;

  // True when this host holds the lease of `target` now. Called on the
  // engine's thread before anything of the target is created or run.
  virtual bool owns(const std::string& target) const = 0;
  // True when this host holds the lease of `target` for at least `longest`
  // more (the run's timeout and what the engine waits past it): the run
  // may start, and counts as running until end_run(). False: the run is
  // skipped, quietly (another host runs it, or this one lost its lease).
  // Called on the engine's thread.
  virtual bool begin_run(const std::string& target, std::chrono::milliseconds longest) = 0;
  // The run begin_run() let start has returned (or was given up).
  virtual void end_run(const std::string& target) = 0;
  // True when this host runs the database-wide chores (flapping, expired
  // acknowledgements, repeated notifications, the outbox's sender).
  virtual bool runs_chores() const = 0;
  // This host's name in the lease table and the run log.
  virtual const std::string& host_name() const = 0;
};

}  // namespace opr::engine
