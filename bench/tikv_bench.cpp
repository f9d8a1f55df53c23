// The TiKV pack's pure work per cycle: parsing PD's store list and
// Prometheus' vectors, and evaluating the three invariants, at cluster sizes
// from 1,000 to 10,000 stores. Bodies carry OP_HTTP_BODY_PADDING zero bytes
// after them, as the host hands them over, and parsers are reused across
// runs, as the pack reuses them.
#include <benchmark/benchmark.h>
#include <operator/plugin.h>
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "evaluation.h"
#include "payloads.h"
#include "pd_stores.h"
#include "prom_vector.h"
#include "store_index.h"
#include "store_metric_rows.h"

namespace opr::bench {
namespace {

constexpr int64_t kNowUnixMs = 1741595420000;

// Payloads are made once per kind and size: at 10,000 stores PD's list is
// ~14 MB.
const PaddedBody& cached(std::string (*make)(size_t), size_t stores) {
  static std::map<std::pair<std::string (*)(size_t), size_t>, PaddedBody> cache;
  auto it = cache.find({make, stores});
  if (it == cache.end()) {
    it = cache.emplace(std::pair{make, stores}, pad(make(stores), OP_HTTP_BODY_PADDING)).first;
  }
  return it->second;
}

const PaddedBody& pd_body(size_t stores) { return cached(pd_stores_json, stores); }
const PaddedBody& latency_body(size_t stores) { return cached(prom_latency_json, stores); }
const PaddedBody& disk_body(size_t stores) { return cached(prom_disk_json, stores); }

std::string_view view(const PaddedBody& body) { return {body.buffer.data(), body.size}; }

// The whole body in one piece: feed() once, then finish().
void BM_ParsePdStores(benchmark::State& state) {
  const PaddedBody& body = pd_body(static_cast<size_t>(state.range(0)));
  tikv::PdStoreListParser parser;
  for (auto _ : state) {
    tikv::StoreList list = tikv::parse_pd_stores(parser, view(body));
    benchmark::DoNotOptimize(list);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size));
  state.counters["body_MB"] = static_cast<double>(body.size) / 1e6;
}
BENCHMARK(BM_ParsePdStores)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// The body as a streaming transfer hands it over: pieces of range(1) bytes.
void BM_ParsePdStoresInPieces(benchmark::State& state) {
  const PaddedBody& body = pd_body(static_cast<size_t>(state.range(0)));
  const size_t piece = static_cast<size_t>(state.range(1));
  const std::string_view all = view(body);
  tikv::PdStoreListParser parser;
  for (auto _ : state) {
    for (size_t at = 0; at < all.size(); at += piece) parser.feed(all.substr(at, piece));
    tikv::StoreList list = parser.finish();
    benchmark::DoNotOptimize(list);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size));
}
BENCHMARK(BM_ParsePdStoresInPieces)
    ->ArgsProduct({{1000, 10000}, {16 << 10, 512 << 10}})
    ->Unit(benchmark::kMillisecond);

// The latency query's answer: one series per store.
void BM_ParsePromVector(benchmark::State& state) {
  const PaddedBody& body = latency_body(static_cast<size_t>(state.range(0)));
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    auto samples = tikv::parse_prom_vector(parser, view(body), body.padding);
    benchmark::DoNotOptimize(samples);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size));
  state.counters["series"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_ParsePromVector)->Arg(10000)->Unit(benchmark::kMillisecond);

// The disk query's answer: two series per store (20,000 at 10,000 stores).
void BM_ParsePromDiskVector(benchmark::State& state) {
  const PaddedBody& body = disk_body(static_cast<size_t>(state.range(0)));
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    auto samples = tikv::parse_prom_vector(parser, view(body), body.padding);
    benchmark::DoNotOptimize(samples);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size));
  state.counters["series"] = static_cast<double>(2 * state.range(0));
}
BENCHMARK(BM_ParsePromDiskVector)->Arg(10000)->Unit(benchmark::kMillisecond);

tikv::StoreList parsed_stores(size_t stores) {
  tikv::PdStoreListParser parser;
  const PaddedBody& body = pd_body(stores);
  return tikv::parse_pd_stores(parser, view(body));
}

std::vector<tikv::Sample> parsed_samples(const PaddedBody& body) {
  simdjson::ondemand::parser parser;
  return tikv::parse_prom_vector(parser, view(body), body.padding);
}

// Every store Down: the evaluator's worst case, one violation per key.
void BM_EvaluateStoreUpAllDown(benchmark::State& state) {
  tikv::StoreList list = parsed_stores(static_cast<size_t>(state.range(0)));
  for (auto& store : list.stores) store.state_name = "Down";
  for (auto _ : state) {
    auto violations = tikv::evaluate_store_up(list, kNowUnixMs);
    benchmark::DoNotOptimize(violations);
  }
  state.counters["keys"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_EvaluateStoreUpAllDown)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_EvaluateLatency(benchmark::State& state) {
  const size_t stores = static_cast<size_t>(state.range(0));
  const tikv::StoreList list = parsed_stores(stores);
  const auto samples = parsed_samples(latency_body(stores));
  for (auto _ : state) {
    auto result = tikv::evaluate_latency(list, samples, tikv::LatencyRule{});
    benchmark::DoNotOptimize(result);
  }
  state.counters["keys"] = static_cast<double>(stores);
}
BENCHMARK(BM_EvaluateLatency)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_EvaluateDisk(benchmark::State& state) {
  const size_t stores = static_cast<size_t>(state.range(0));
  const tikv::StoreList list = parsed_stores(stores);
  const auto samples = parsed_samples(disk_body(stores));
  for (auto _ : state) {
    auto result = tikv::evaluate_disk(list, samples, 70.0);
    benchmark::DoNotOptimize(result);
  }
  state.counters["keys"] = static_cast<double>(stores);
}
BENCHMARK(BM_EvaluateDisk)->Arg(10000)->Unit(benchmark::kMillisecond);

// Every other store Disconnected, still in Prometheus' answer: half the
// stores unknown, each with its reason (the costly case of partial sight).
void BM_EvaluateLatencyHalfUnknown(benchmark::State& state) {
  const size_t stores = static_cast<size_t>(state.range(0));
  tikv::StoreList list = parsed_stores(stores);
  for (size_t i = 0; i < list.stores.size(); i += 2) list.stores[i].state_name = "Disconnected";
  const auto samples = parsed_samples(latency_body(stores));
  for (auto _ : state) {
    auto result = tikv::evaluate_latency(list, samples, tikv::LatencyRule{});
    benchmark::DoNotOptimize(result);
  }
  state.counters["keys"] = static_cast<double>(stores);
}
BENCHMARK(BM_EvaluateLatencyHalfUnknown)->Arg(10000)->Unit(benchmark::kMillisecond);

// One row of the per-store metric family (async_write_duration), given an
// answer holding every store's value (as Prometheus answered before it
// compared the threshold itself; the latency answer has that shape):
// parsing the answer and evaluating it. The threshold is 0.1 s so that, as
// for latency, every 100th store is a violation.
void BM_StoreMetricRow(benchmark::State& state) {
  const size_t stores = static_cast<size_t>(state.range(0));
  const tikv::StoreList list = parsed_stores(stores);
  const PaddedBody& body = latency_body(stores);
  const tikv::StoreMetricRow& row = tikv::store_metric_rows()[3];  // async_write_duration
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    const auto samples = tikv::parse_prom_vector(parser, view(body), body.padding);
    auto result =
        tikv::evaluate_store_metric(list, samples, row, 0.1, std::chrono::milliseconds(60'000));
    benchmark::DoNotOptimize(result);
  }
  state.counters["keys"] = static_cast<double>(stores);
}
BENCHMARK(BM_StoreMetricRow)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// Every row of the family on one shared store list and index: the family's
// share of a cycle's host CPU. `filtered`: each row's answer holds only the
// stores beyond its threshold (every 100th), and the scraped stores' list is
// parsed once for all rows, as the pack does now; else each row parses an
// answer holding every store's value, as it did before Prometheus compared
// the thresholds. "Below" rows see the same answers: a cluster where every
// store violates a row is not the cycle to size for.
void family_cycle(benchmark::State& state, bool filtered) {
  const size_t stores = static_cast<size_t>(state.range(0));
  const tikv::StoreList list = parsed_stores(stores);
  const PaddedBody& body = filtered ? cached(prom_slow_stores_json, stores) : latency_body(stores);
  const PaddedBody& scraped_body = cached(prom_scraped_json, stores);
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    const tikv::StoreIndex index(list);  // PD's list is new every cycle
    const tikv::ScrapedStores scraped = tikv::join_scraped(
        list, index,
        filtered ? tikv::parse_prom_vector(parser, view(scraped_body), scraped_body.padding)
                 : std::vector<tikv::Sample>{});
    for (const tikv::StoreMetricRow& row : tikv::store_metric_rows()) {
      const auto samples = tikv::parse_prom_vector(parser, view(body), body.padding);
      const double threshold = row.direction == tikv::Direction::kAbove ? 0.1 : 0.004;
      const std::chrono::milliseconds window(60'000);
      auto result =
          filtered
              ? tikv::evaluate_store_metric(list, index, scraped, samples, row, threshold, window)
              : tikv::evaluate_store_metric(list, index, tikv::join_scraped(list, index, samples),
                                            samples, row, threshold, window);
      benchmark::DoNotOptimize(result);
    }
  }
  state.counters["rows"] = static_cast<double>(tikv::kStoreMetricRowCount);
}

void BM_StoreMetricFamilyCycle(benchmark::State& state) { family_cycle(state, true); }
BENCHMARK(BM_StoreMetricFamilyCycle)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_StoreMetricFamilyCycleFullAnswers(benchmark::State& state) { family_cycle(state, false); }
BENCHMARK(BM_StoreMetricFamilyCycleFullAnswers)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);

// Building the status-address index of PD's list (once per list now).
void BM_StoreIndex(benchmark::State& state) {
  const tikv::StoreList list = parsed_stores(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    tikv::StoreIndex index(list);
    benchmark::DoNotOptimize(index);
  }
}
BENCHMARK(BM_StoreIndex)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// A whole cycle of the pack's own work, no I/O: PD's list, the two vectors
// and the three evaluations. The floor under the end-to-end "host CPU per
// cycle". `share_pd`: parse PD's list once and share it between the checks,
// as the pack does now, or once per check, as it did before (one request
// each).
void pack_cycle(benchmark::State& state, bool share_pd) {
  const size_t stores = static_cast<size_t>(state.range(0));
  const PaddedBody& pd = pd_body(stores);
  const PaddedBody& latency = latency_body(stores);
  const PaddedBody& disk = disk_body(stores);
  tikv::PdStoreListParser pd_parser;
  simdjson::ondemand::parser prom_parser;
  for (auto _ : state) {
    auto list = tikv::parse_pd_stores(pd_parser, view(pd));
    benchmark::DoNotOptimize(tikv::evaluate_store_up(list, kNowUnixMs));
    if (!share_pd) list = tikv::parse_pd_stores(pd_parser, view(pd));
    {
      const auto samples = tikv::parse_prom_vector(prom_parser, view(latency), latency.padding);
      benchmark::DoNotOptimize(tikv::evaluate_latency(list, samples, tikv::LatencyRule{}));
    }
    if (!share_pd) list = tikv::parse_pd_stores(pd_parser, view(pd));
    {
      const auto samples = tikv::parse_prom_vector(prom_parser, view(disk), disk.padding);
      benchmark::DoNotOptimize(tikv::evaluate_disk(list, samples, 70.0));
    }
  }
}

void BM_PackCycleCompute(benchmark::State& state) { pack_cycle(state, false); }
BENCHMARK(BM_PackCycleCompute)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_PackCycleComputeSharedPd(benchmark::State& state) { pack_cycle(state, true); }
BENCHMARK(BM_PackCycleComputeSharedPd)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace opr::bench

BENCHMARK_MAIN();
