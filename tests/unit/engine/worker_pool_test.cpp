#include "engine/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace opr::engine {
namespace {

using namespace std::chrono_literals;

// A latch the test opens to let stuck jobs return.
struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  void wait() {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return open; });
  }
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    cv.notify_all();
  }
};

bool wait_for(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(WorkerPool, RunsEveryJob) {
  WorkerPool pool(2);
  std::atomic<int> done{0};
  for (int i = 0; i < 50; ++i) pool.submit([&] { ++done; });
  EXPECT_TRUE(wait_for([&] { return done == 50; }, 5s));
  EXPECT_TRUE(pool.stop(5s));
}

TEST(WorkerPool, AReplacementWorkerKeepsJobsFlowingWhileOneIsStuck) {
  auto gate = std::make_shared<Gate>();
  WorkerPool pool(1);
  std::atomic<bool> stuck_started{false};
  pool.submit([gate, &stuck_started] {
    stuck_started = true;
    gate->wait();
  });
  ASSERT_TRUE(wait_for([&] { return stuck_started.load(); }, 5s));
  pool.add_worker();
  EXPECT_EQ(pool.workers(), 2);
  std::atomic<int> done{0};
  for (int i = 0; i < 5; ++i) pool.submit([&] { ++done; });
  EXPECT_TRUE(wait_for([&] { return done == 5; }, 5s));
  gate->release();
  pool.retire_worker();
  EXPECT_TRUE(wait_for([&] { return pool.workers() == 1; }, 5s));
  EXPECT_TRUE(pool.stop(5s));
}

TEST(WorkerPool, StopGivesUpOnAStuckJobWithinItsBound) {
  auto gate = std::make_shared<Gate>();
  std::atomic<bool> started{false};
  {
    WorkerPool pool(2);
    pool.submit([gate, &started] {
      started = true;
      gate->wait();
    });
    ASSERT_TRUE(wait_for([&] { return started.load(); }, 5s));
    const auto before = std::chrono::steady_clock::now();
    EXPECT_FALSE(pool.stop(100ms));
    EXPECT_LT(std::chrono::steady_clock::now() - before, 2s);
  }
  // The pool object is gone; the stuck worker still returns safely.
  gate->release();
}

}  // namespace
}  // namespace opr::engine
