// opr_test_cluster: tikv-sim as a child process on a port it chose itself,
// and helpers that read its JSON and its /metrics exposition.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "test_support.h"

namespace opr::test {

using OrderedJson = nlohmann::ordered_json;

class SimProcess {
 public:
  // Starts `tikv-sim --stores N --listen 127.0.0.1:0 <extra>` and waits for
  // its ready line; fails the test if it does not come.
  explicit SimProcess(std::size_t stores = 3, const std::vector<std::string>& extra = {});

  int port() const { return port_; }
  // 127.0.0.1:PORT, as a Prometheus scrape target or after http://.
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  Process& process() { return *process_; }
  // Requests to the simulator (PD, /metrics and the control API /sim),
  // through http_request.
  HttpResult get(const std::string& path,
                 std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  HttpResult post(const std::string& path, const std::string& body) const;
  // POSTs to /sim/stores/{id} and expects 200.
  void change_store(int id, const std::string& body) const;
  void set_pd_mode(const std::string& mode) const;
  // POST /sim/pd/members/{name} and /sim/pd/leader, expecting 200; a
  // leader of nullopt leaves PD without one.
  void set_pd_member_health(const std::string& name, bool healthy) const;
  void set_pd_leader(const std::optional<std::string>& name) const;
  // PD API requests taken so far (/sim/state's pd_requests), each counted as
  // its handler starts: a test waits for it before it acts on a request that
  // must be in flight (held by the "hang" mode, say).
  std::uint64_t pd_requests() const;

 private:
  std::unique_ptr<Process> process_;
  int port_ = 0;
};

// Every latency_metric and disk_metric fault, on stores 1 to 6 (store 7
// and up stay normal): 1 idle + nan, 2 missing + negative, 3 zero_capacity,
// 4 available_over_capacity, 5 no_available, 6 disk missing.
void inject_every_metric_fault(const SimProcess& sim);

// `text` as JSON; a test failure (and a discarded value) when it is not.
OrderedJson parse_json(const std::string& text);

// The value of `series` (name and labels, e.g.
// tikv_store_size_bytes{instance="10.0.1.11:20180",type="capacity"}) in a
// /metrics exposition, NaN included; nullopt when the exposition lacks it.
std::optional<double> sample_value(const std::string& metrics, const std::string& series);
// tikv_store_size_bytes of `type` for `instance`.
std::optional<double> store_size(const std::string& metrics, const std::string& instance,
                                 const std::string& type);
// The kv_get count of tikv_grpc_msg_duration_seconds for `instance`.
std::optional<double> kv_get_count(const std::string& metrics, const std::string& instance);
// tests/fixtures/<relative_path> as JSON.
OrderedJson read_fixture_json(const std::string& relative_path);

}  // namespace opr::test
