// What the monitor watching itself costs (issue 16): the engine's part, one
// record per run (whatever the number of stores), and a scrape's parts, the
// rendering and the two GROUP BY queries on the listener's own connection
// over 1,000 and 10,000 open tickets.
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "observe/metrics.h"
#include "observe/self_report.h"
#include "ticket_seeding.h"
#include "tickets/store_gauges.h"

namespace opr::bench {
namespace {

using namespace std::chrono_literals;

// 10 targets of 3 checks each, scheduled and run once.
void fill(observe::Metrics& metrics) {
  std::vector<observe::TargetSchedule> schedule;
  for (int t = 0; t < 10; ++t) {
    schedule.push_back({"target-" + std::to_string(t),
                        {{"store_up", 10s}, {"latency", 30s}, {"disk_space", 30s}}});
  }
  metrics.schedule(schedule, now_ms());
  metrics.set_running(true);
  for (const auto& target : schedule) {
    for (const auto& [check, interval] : target.checks) {
      metrics.record_run(target.name, check, observe::RunOutcome::ok, 12ms, 0, true, now_ms());
    }
  }
}

void BM_ObserveRecordRun(benchmark::State& state) {
  observe::Metrics metrics;
  fill(metrics);
  const TimePoint at = now_ms();
  for (auto _ : state) {
    metrics.record_run("target-7", "latency", observe::RunOutcome::violated, 42ms, 10'000, true,
                       at);
  }
}
BENCHMARK(BM_ObserveRecordRun);

void BM_ObserveRender(benchmark::State& state) {
  observe::Metrics metrics;
  fill(metrics);
  for (auto _ : state) {
    observe::Exposition out;
    metrics.render(out);
    benchmark::DoNotOptimize(out.text().data());
  }
}
BENCHMARK(BM_ObserveRender)->Unit(benchmark::kMicrosecond);

// A whole /metrics page over a database with `open` open tickets (of
// 2 * open in all), as the listener serves it.
void BM_ObserveScrapePage(benchmark::State& state) {
  const auto open = static_cast<size_t>(state.range(0));
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("bench_observe_" + std::to_string(open) + ".db");
  std::filesystem::remove(path);
  seed_tickets(path.string(), 2 * open, open);
  observe::Metrics metrics;
  fill(metrics);
  tickets::StoreGauges gauges(path.string());
  observe::SelfReport report(metrics, gauges, [] { return observe::NotificationTotals{}; });
  for (auto _ : state) benchmark::DoNotOptimize(report.metrics_text().size());
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}
BENCHMARK(BM_ObserveScrapePage)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace opr::bench

BENCHMARK_MAIN();
