// A pool of worker threads for check runs. A run that hangs holds its worker
// for as long as the pack keeps it, so the engine adds a replacement worker
// while one is stuck and retires one when the stuck run returns.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

namespace opr::engine {

class WorkerPool {
 public:
  explicit WorkerPool(int workers);
  // Stops idle workers; never waits for a busy one (it exits when its job
  // returns, keeping the pool's shared state alive until then).
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a job; the first idle worker runs it. Jobs must not throw.
  void submit(std::function<void()> job);
  // One more worker, standing in for one that is stuck in a job.
  void add_worker();
  // The next worker to become idle exits (undoes one add_worker).
  void retire_worker();
  // Runs what is still queued, then stops every worker. Waits up to
  // `timeout` and returns true when all have exited; false leaves the busy
  // ones running detached.
  bool stop(std::chrono::milliseconds timeout);

  int workers() const;  // threads alive, busy or idle

  struct State;  // shared by the pool and its threads

 private:
  std::shared_ptr<State> state_;
};

}  // namespace opr::engine
