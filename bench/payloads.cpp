#include "payloads.h"

#include <cstdint>
#include <cstdio>

namespace opr::bench {

PaddedBody pad(const std::string& body, size_t padding) {
  PaddedBody out;
  out.buffer = body;
  out.buffer.append(padding, '\0');
  out.size = body.size();
  out.padding = padding;
  return out;
}

std::string store_host_port(size_t id, int port) {
  char text[48];
  std::snprintf(text, sizeof text, "10.0.%zu.%zu:%d", 1 + (id - 1) / 200, 11 + (id - 1) % 200,
                port);
  return text;
}

namespace {

// One element of PD's "stores" array, field for field as PD v8.5.1 writes
// it (see the fixture). Values vary per store so no two are identical.
void append_store(std::string& out, size_t id, bool last) {
  const uint64_t heartbeat = 1741595408607448792ULL + id * 1000003ULL;
  const unsigned frac = static_cast<unsigned>(heartbeat % 1000000000ULL);
  char text[2400];
  std::snprintf(text, sizeof text,
                R"(    {
      "store": {
        "id": %zu,
        "address": "%s",
        "labels": [
          {
            "key": "zone",
            "value": "z%zu"
          },
          {
            "key": "host",
            "value": "tikv-%zu"
          }
        ],
        "version": "8.5.1",
        "peer_address": "%s",
        "status_address": "%s",
        "git_hash": "25897b73e1f0e93f616c764dbe65ed7db02edd07",
        "start_timestamp": 1740021167,
        "deploy_path": "/tidb-deploy/tikv-20160/bin",
        "last_heartbeat": %llu,
        "node_state": 1,
        "state_name": "Up"
      },
      "status": {
        "capacity": "1.718TiB",
        "available": "1.331TiB",
        "used_size": "371.4GiB",
        "leader_count": %zu,
        "leader_weight": 1,
        "leader_score": %zu,
        "leader_size": 161990,
        "region_count": 6842,
        "region_weight": 1,
        "region_score": 578191.9933285025,
        "region_size": 486117,
        "slow_score": 1,
        "slow_trend": {
          "cause_value": 250128.037037037,
          "cause_rate": 0,
          "result_value": 3098,
          "result_rate": 0
        },
        "start_ts": "2025-02-20T03:12:47Z",
        "last_heartbeat_ts": "2025-03-10T08:30:08.%09uZ",
        "uptime": "437h17m21.%09us"
      }
    }%s
)",
                id, store_host_port(id, 20160).c_str(), 1 + (id - 1) % 3, id,
                store_host_port(id, 20160).c_str(), store_host_port(id, 20180).c_str(),
                static_cast<unsigned long long>(heartbeat), 2000 + id % 500, 2000 + id % 500, frac,
                frac, last ? "" : ",");
  out += text;
}

void append_sample(std::string& out, size_t id, const char* type, const std::string& value,
                   bool first) {
  if (!first) out += ',';
  out += R"({"metric":{"instance":")";
  out += store_host_port(id, 20180);
  out += '"';
  if (type != nullptr) {
    out += R"(,"type":")";
    out += type;
    out += '"';
  }
  out += R"(},"value":[1741595413.393,")";
  out += value;
  out += R"("]})";
}

constexpr const char* kVectorHead =
    R"({"status":"success","data":{"resultType":"vector","result":[)";
constexpr const char* kVectorTail = "]}}";

}  // namespace

std::string pd_stores_json(size_t stores) {
  std::string out;
  out.reserve(stores * 1450 + 64);
  out += "{\n  \"count\": " + std::to_string(stores) + ",\n  \"stores\": [\n";
  for (size_t id = 1; id <= stores; ++id) append_store(out, id, id == stores);
  out += "  ]\n}\n";
  return out;
}

std::string prom_latency_json(size_t stores) {
  std::string out = kVectorHead;
  for (size_t id = 1; id <= stores; ++id) {
    // Mostly healthy, every 100th store slow, and an idle one answering NaN.
    const std::string value = id % 100 == 0 ? "0.14991" : id % 997 == 0 ? "NaN" : "0.004995";
    append_sample(out, id, nullptr, value, id == 1);
  }
  return out + kVectorTail;
}

std::string prom_slow_stores_json(size_t stores) {
  std::string out = kVectorHead;
  for (size_t id = 100; id <= stores; id += 100)
    append_sample(out, id, nullptr, "0.14991", id == 100);
  return out + kVectorTail;
}

std::string prom_scraped_json(size_t stores) {
  std::string out = kVectorHead;
  for (size_t id = 1; id <= stores; ++id) append_sample(out, id, nullptr, "1", id == 1);
  return out + kVectorTail;
}

std::string prom_disk_json(size_t stores) {
  std::string out = kVectorHead;
  for (size_t id = 1; id <= stores; ++id) {
    // 1 TiB each; every 100th store 85 % full.
    append_sample(out, id, "capacity", "1099511627776", id == 1);
    append_sample(out, id, "available", id % 100 == 0 ? "164926744166" : "769658139443", false);
  }
  return out + kVectorTail;
}

}  // namespace opr::bench
