#include "engine/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>

#include "test_support.h"

namespace opr::engine {
namespace {

using namespace std::chrono_literals;

using opr::test::Gate;
using opr::test::wait_until;

TEST(WorkerPool, RunsEveryJob) {
  WorkerPool pool(2);
  std::atomic<int> done{0};
  for (int i = 0; i < 50; ++i) pool.submit([&] { ++done; });
  EXPECT_TRUE(wait_until([&] { return done == 50; }, 5s));
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
  ASSERT_TRUE(wait_until([&] { return stuck_started.load(); }, 5s));
  pool.add_worker();
  EXPECT_EQ(pool.workers(), 2);
  std::atomic<int> done{0};
  for (int i = 0; i < 5; ++i) pool.submit([&] { ++done; });
  EXPECT_TRUE(wait_until([&] { return done == 5; }, 5s));
  gate->open();
  pool.retire_worker();
  EXPECT_TRUE(wait_until([&] { return pool.workers() == 1; }, 5s));
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
    ASSERT_TRUE(wait_until([&] { return started.load(); }, 5s));
    const auto before = std::chrono::steady_clock::now();
    EXPECT_FALSE(pool.stop(100ms));
    EXPECT_LT(std::chrono::steady_clock::now() - before, 2s);
  }
  // The pool object is gone; the stuck worker still returns safely.
  gate->open();
}

}  // namespace
}  // namespace opr::engine
