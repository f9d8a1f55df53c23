// The sender's cost: delivering a cycle's 10,000 notifications (a whole
// cluster's stores Down at once) to a webhook on loopback, one POST each,
// from a real SQLite file. This runs on the sender's own thread, never in
// the check cycle; bench_tickets' BM_ApplyNewViolationsNotifying is what
// the cycle pays for writing them.
#include <benchmark/benchmark.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "http/client.h"
#include "notify/router.h"
#include "notify/sender.h"
#include "ticket_seeding.h"

namespace opr::bench {
namespace {

namespace fs = std::filesystem;

void BM_SenderDeliversACycle(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  httplib::Server server;
  std::atomic<size_t> received{0};
  server.Post("/hook", [&](const httplib::Request&, httplib::Response& res) {
    ++received;
    res.status = 200;
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { server.listen_after_bind(); });

  config::ReceiverConfig webhook;
  webhook.name = "pager";
  webhook.type = config::ReceiverType::webhook;
  webhook.urls = {"http://127.0.0.1:" + std::to_string(port) + "/hook"};
  config::Config config;
  config.receivers = {webhook};
  tickets::StoreOptions options;
  options.router = notify::make_router(config);
  const fs::path db = fs::temp_directory_path() /
                      ("operator-bench-notify-" + std::to_string(::getpid()) + ".db");
  const auto run = store_up_run(1, n, now_ms());
  for (auto _ : state) {
    state.PauseTiming();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
    auto store = tickets::TicketStore::open(db.string(), options);
    store->apply_success(run);
    notify::Sender sender(*store, std::make_shared<http::Client>());
    sender.configure(config.receivers);
    state.ResumeTiming();
    const auto pass = sender.send_due(now_ms());
    if (pass.delivered != n) state.SkipWithError("not every notification was delivered");
  }
  server.stop();
  serving.join();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
  state.counters["notifications"] = static_cast<double>(n);
  state.counters["per_notification_us"] = benchmark::Counter(
      static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate |
                                  benchmark::Counter::kInvert);
}
BENCHMARK(BM_SenderDeliversACycle)->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace opr::bench

BENCHMARK_MAIN();
