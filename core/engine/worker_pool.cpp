#include "engine/worker_pool.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace opr::engine {

struct WorkerPool::State {
  std::mutex mutex;
  std::condition_variable work;    // jobs, retirements, stop
  std::condition_variable exited;  // a worker left
  std::deque<std::function<void()>> jobs;
  int alive = 0;
  int busy = 0;
  int retire = 0;
  bool stopping = false;
};

namespace {

void work(const std::shared_ptr<WorkerPool::State>& state);

void spawn(const std::shared_ptr<WorkerPool::State>& state) {
  // Detached: a worker stuck in a pack must never block the host's exit;
  // the shared state it holds outlives the pool object.
  std::thread([state] { work(state); }).detach();
}

void work(const std::shared_ptr<WorkerPool::State>& state) {
  std::unique_lock lock(state->mutex);
  for (;;) {
    state->work.wait(lock,
                     [&] { return !state->jobs.empty() || state->retire > 0 || state->stopping; });
    if (state->retire > 0) {
      --state->retire;
      break;
    }
    if (state->jobs.empty()) break;  // stopping, and nothing left to run
    auto job = std::move(state->jobs.front());
    state->jobs.pop_front();
    ++state->busy;
    lock.unlock();
    job();
    job = nullptr;  // release what the job captured before counting it done
    lock.lock();
    --state->busy;
  }
  --state->alive;
  state->exited.notify_all();
}

}  // namespace

WorkerPool::WorkerPool(int workers) : state_(std::make_shared<State>()) {
  if (workers < 1) workers = 1;
  {
    std::lock_guard lock(state_->mutex);
    state_->alive = workers;
  }
  for (int i = 0; i < workers; ++i) spawn(state_);
}

WorkerPool::~WorkerPool() {
  std::unique_lock lock(state_->mutex);
  state_->stopping = true;
  state_->jobs.clear();
  state_->work.notify_all();
  state_->exited.wait(lock, [&] { return state_->alive <= state_->busy; });
}

void WorkerPool::submit(std::function<void()> job) {
  std::lock_guard lock(state_->mutex);
  state_->jobs.push_back(std::move(job));
  state_->work.notify_one();
}

void WorkerPool::add_worker() {
  {
    std::lock_guard lock(state_->mutex);
    if (state_->retire > 0) {
      --state_->retire;  // a pending retirement cancels out
      return;
    }
    ++state_->alive;
  }
  spawn(state_);
}

void WorkerPool::retire_worker() {
  std::lock_guard lock(state_->mutex);
  ++state_->retire;
  state_->work.notify_one();
}

bool WorkerPool::stop(std::chrono::milliseconds timeout) {
  std::unique_lock lock(state_->mutex);
  state_->stopping = true;
  state_->work.notify_all();
  return state_->exited.wait_for(lock, timeout, [&] { return state_->alive == 0; });
}

int WorkerPool::workers() const {
  std::lock_guard lock(state_->mutex);
  return state_->alive;
}

}  // namespace opr::engine
