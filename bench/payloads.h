// Synthetic PD and Prometheus answers for the benchmarks, byte for byte in
// the shape of tests/fixtures/pd/pd_stores_healthy.json and of Prometheus'
// /api/v1/query answers, at any cluster size.
#pragma once

#include <cstddef>
#include <string>

namespace opr::bench {

// What the host hands a pack: the body followed by OP_HTTP_BODY_PADDING
// zero bytes, so simdjson can read it in place.
struct PaddedBody {
  std::string buffer;  // body + padding zero bytes
  size_t size = 0;     // the body's length
  size_t padding = 0;
};

PaddedBody pad(const std::string& body, size_t padding);

// Store i (1-based) lives on 10.0.{1 + (i-1)/200}.{11 + (i-1)%200}, as in
// tikv-sim; `port` is 20160 (address) or 20180 (status_address).
std::string store_host_port(size_t id, int port);

// GET /pd/api/v1/stores: `stores` Up stores, PD's 2-space indentation.
std::string pd_stores_json(size_t stores);

// GET /api/v1/query for the latency query: one series per store,
// {instance="<status_address>"} with a p99 in seconds.
std::string prom_latency_json(size_t stores);

// GET /api/v1/query for a family row's query (store_metric_query()), which
// Prometheus filters: every 100th store beyond the threshold, as in
// prom_latency_json(), and nothing for the others.
std::string prom_slow_stores_json(size_t stores);

// GET /api/v1/query for scraped_stores_query(): one series per store.
std::string prom_scraped_json(size_t stores);

// GET /api/v1/query for the disk query: two series per store,
// {instance, type="capacity"|"available"}.
std::string prom_disk_json(size_t stores);

}  // namespace opr::bench
