// The ticket store on a real SQLite file: one cycle's worth of violations
// applied in one transaction, and listing the open tickets of a database
// that has kept a long history. Wall time (disk included) is what counts.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "ticket_seeding.h"

namespace opr::bench {
namespace {

namespace fs = std::filesystem;

// A folder under $TMPDIR for this process's databases, removed at exit.
class BenchDir {
 public:
  BenchDir() {
    const char* tmp = std::getenv("TMPDIR");
    path_ =
        fs::path(tmp != nullptr ? tmp : "/tmp") / ("operator-bench-" + std::to_string(::getpid()));
    fs::create_directories(path_);
  }
  ~BenchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  fs::path file(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

BenchDir& bench_dir() {
  static BenchDir dir;
  return dir;
}

void remove_database(const fs::path& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
}

// N violations never seen before: N tickets opened (rows, events, index
// entries) in one transaction. Each iteration starts from an empty file.
void apply_new(benchmark::State& state, const std::string& file,
               const tickets::StoreOptions& options) {
  const size_t n = static_cast<size_t>(state.range(0));
  const fs::path db = bench_dir().file(file);
  const auto run = store_up_run(1, n, now_ms());
  for (auto _ : state) {
    state.PauseTiming();
    remove_database(db);
    auto store = tickets::TicketStore::open(db.string(), options);
    state.ResumeTiming();
    auto outcome = store->apply_success(run);
    benchmark::DoNotOptimize(outcome);
  }
  remove_database(db);
  state.counters["violations"] = static_cast<double>(n);
}

void BM_ApplyNewViolations(benchmark::State& state) { apply_new(state, "apply-new.db", {}); }
BENCHMARK(BM_ApplyNewViolations)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Every event goes to one receiver, with the labels a config would give.
class OneReceiver : public tickets::NotificationRouter {
 public:
  tickets::Route route(const tickets::RouteQuery&) const override {
    return {{"pager"},
            {{"team", "storage"}, {"env", "prod"}},
            {{"runbook_url", "https://runbooks.example/tikv/store-down"}},
            "tikv"};
  }
};

// The same with a receiver listening: each opening also writes its
// notification (the payload: the ticket as JSON, labels, annotations) in
// the same transaction. The difference is what notifications cost the
// check cycle; delivering them is the sender's, on its own thread
// (bench_notify).
void BM_ApplyNewViolationsNotifying(benchmark::State& state) {
  tickets::StoreOptions options;
  options.router = std::make_shared<OneReceiver>();
  apply_new(state, "apply-notify.db", options);
}
BENCHMARK(BM_ApplyNewViolationsNotifying)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Applies `run` every 10 s (of run.at) to a database in which a first run
// opened the store_up tickets of stores 1..open; only apply_success is timed.
void apply_repeatedly(benchmark::State& state, const std::string& file, size_t open,
                      tickets::SuccessfulRun run) {
  const fs::path db = bench_dir().file(file);
  remove_database(db);
  auto store = tickets::TicketStore::open(db.string());
  TimePoint at = now_ms();
  store->apply_success(store_up_run(1, open, at));
  for (auto _ : state) {
    at += std::chrono::seconds(10);
    run.at = at;
    auto outcome = store->apply_success(run);
    benchmark::DoNotOptimize(outcome);
  }
  store.reset();
  remove_database(db);
}

// The steady state of a long outage: the same N violations again, so N open
// tickets are bumped (occurrence count, last seen, snapshot).
void BM_ApplySeenAgain(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  apply_repeatedly(state, "apply-again.db", n, store_up_run(1, n, now_ms()));
  state.counters["violations"] = static_cast<double>(n);
}
BENCHMARK(BM_ApplySeenAgain)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// A run that could not see any of the subjects of N open tickets (a
// Prometheus that lost every store's series, say): each ticket keeps its
// state and gets its unknown streak written; the first run of the streak
// marks them all (interval 0), later ones only move the streak's last time.
void BM_ApplyAllUnknown(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  tickets::SuccessfulRun run = store_up_run(1, n, now_ms());
  for (const auto& violation : run.violations) {
    run.unknown.push_back({violation.subject, "store " + violation.subject + " is Disconnected"});
  }
  run.violations.clear();
  apply_repeatedly(state, "apply-unknown.db", n, std::move(run));
  state.counters["unknown"] = static_cast<double>(n);
}
BENCHMARK(BM_ApplyAllUnknown)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Most runs of most checks: they pass, and the check has nothing open,
// pending or failing. The store only reads (no write lock, no transaction),
// whatever else the database holds (here another check's 1,000 tickets).
void BM_ApplyPassingWithNothingOpen(benchmark::State& state) {
  tickets::SuccessfulRun run;
  run.target = "bench-tikv";
  run.check = "disk_space";
  apply_repeatedly(state, "apply-passing.db", 1000, std::move(run));
}
BENCHMARK(BM_ApplyPassingWithNothingOpen)->Unit(benchmark::kMicrosecond)->UseRealTime();

// 100,000 tickets stored, 1,000 open: made once per process.
const fs::path& history_database() {
  static const fs::path db = [] {
    const fs::path path = bench_dir().file("history.db");
    seed_tickets(path.string(), 100000, 1000);
    return path;
  }();
  return db;
}

// What `tickets list` asks the store: the default filter (every status but
// resolved), newest first.
void BM_ListOpenOfHistory(benchmark::State& state) {
  auto store = tickets::TicketStore::open(history_database().string());
  size_t listed = 0;
  for (auto _ : state) {
    auto tickets = store->list(tickets::ListFilter{});
    listed = tickets.size();
    benchmark::DoNotOptimize(tickets);
  }
  state.counters["listed"] = static_cast<double>(listed);
}
BENCHMARK(BM_ListOpenOfHistory)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same with opening the database first, as each CLI command does.
void BM_OpenAndListOpenOfHistory(benchmark::State& state) {
  const std::string db = history_database().string();
  for (auto _ : state) {
    auto store = tickets::TicketStore::open(db);
    auto tickets = store->list(tickets::ListFilter{});
    benchmark::DoNotOptimize(tickets);
  }
}
BENCHMARK(BM_OpenAndListOpenOfHistory)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace opr::bench

BENCHMARK_MAIN();
