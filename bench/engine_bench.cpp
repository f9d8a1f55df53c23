// The engine's evaluator over one run of 10,000 violation keys: severity,
// metric snapshot JSON and grace for each, before the ticket store sees them;
// and the worker pool's stop() with a job that never returns.
#include <benchmark/benchmark.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include "config/config.h"
#include "engine/evaluator.h"
#include "engine/worker_pool.h"

namespace opr::bench {
namespace {

// What the TiKV pack's store_up reports for a Down store.
plugins::RunResult down_stores(size_t stores) {
  plugins::RunResult result;
  result.ok = true;
  result.violations.reserve(stores);
  for (size_t id = 1; id <= stores; ++id) {
    const std::string subject = std::to_string(id);
    plugins::ReportedViolation v;
    v.subject = subject;
    v.message =
        "Store " + subject + " is Down: no heartbeat for 35m12s (last 2026-01-01T00:00:00Z)";
    v.facts = {
        {"address", "10.0.1.12:20160", false}, {"status_address", "10.0.1.12:20180", false},
        {"state_name", "Down", false},         {"last_heartbeat_ts", "2026-01-01T00:00:00Z", false},
        {"heartbeat_age_s", "2112", true},     {"store_id", subject, true}};
    result.violations.push_back(std::move(v));
  }
  return result;
}

void BM_EngineEvaluateRun(benchmark::State& state) {
  const auto result = down_stores(static_cast<size_t>(state.range(0)));
  config::CheckConfig check;
  check.name = "store_up";
  check.severity = Severity::critical;
  const TimePoint at = now_ms();
  for (auto _ : state) {
    auto run = engine::successful_run("bench-tikv", check, result, at,
                                      engine::batch_key("bench-tikv", at));
    benchmark::DoNotOptimize(run);
  }
  state.counters["keys"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_EngineEvaluateRun)->Arg(10000)->Unit(benchmark::kMillisecond);

// How long WorkerPool::stop(100ms) takes to give up on a job that never
// returns (unit/engine/worker_pool_test asserts only that it gives up): the
// bound plus the time to notice it. The stuck job is let go after each stop.
void BM_WorkerPoolStopWithAStuckJob(benchmark::State& state) {
  for (auto _ : state) {
    auto release = std::make_shared<std::promise<void>>();
    auto started = std::make_shared<std::promise<void>>();
    std::shared_future<void> let_go = release->get_future().share();
    {
      engine::WorkerPool pool(2);
      pool.submit([let_go, started] {
        started->set_value();
        let_go.wait();
      });
      started->get_future().wait();
      const auto begin = std::chrono::steady_clock::now();
      const bool all_exited = pool.stop(std::chrono::milliseconds(100));
      state.SetIterationTime(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
      if (all_exited) state.SkipWithError("stop() waited for the stuck job");
    }
    release->set_value();
  }
}
BENCHMARK(BM_WorkerPoolStopWithAStuckJob)
    ->UseManualTime()
    ->Iterations(10)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace opr::bench

BENCHMARK_MAIN();
