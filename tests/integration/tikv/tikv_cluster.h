// A simulated TiKV cluster with a real Prometheus scraping it, and
// operator-host running the tikv pack against both, for end-to-end tests.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "prometheus_server.h"
#include "sim_process.h"
#include "test_support.h"

namespace opr::test {

using Json = nlohmann::json;

// Generous: the suite also runs under sanitizers on two busy cores.
constexpr std::chrono::seconds kPatience{60};

class TikvCluster {
 public:
  // tikv-sim with `stores` stores (and `sim_args`), and unless told
  // otherwise a Prometheus that scrapes it every 500 ms. Fails the test if
  // either does not start.
  explicit TikvCluster(size_t stores = 3, const std::vector<std::string>& sim_args = {},
                       bool with_prometheus = true);

  SimProcess& sim() { return sim_; }
  PrometheusServer& prometheus() { return *prometheus_; }
  std::string pd_url() const;
  // Without a Prometheus: a URL nothing answers on (the pack needs one set).
  std::string prometheus_url() const;

  // Waits until every store's p99 (seconds, over `window`) and used disk
  // share (percent) are what `expected` says, keyed by store id; stores not
  // named must merely have a value.
  bool wait_for_p99_ms(const std::map<int, double>& expected_ms, const std::string& window = "2s");
  bool wait_for_disk_percent(const std::map<int, double>& expected);

 private:
  // Waits until `promql` answers for every store, and for each store named
  // in `expected` with a value that `matches(value, expected)`.
  bool wait_for_values(const std::string& promql, const std::map<int, double>& expected,
                       const std::function<bool(double, double)>& matches);

  SimProcess sim_;
  size_t stores_;
  std::unique_ptr<PrometheusServer> prometheus_;
};

// operator-host with a config in a temp folder and its tickets database.
class HostRun {
 public:
  // `target` is the YAML of one target named "t" after "- name: t\n".
  // The config sets interval 1s, timeout 2s and failure_threshold 2.
  explicit HostRun(
      const std::string& target,
      const std::string& defaults = "{interval: 1s, timeout: 2s, failure_threshold: 2}");

  std::filesystem::path db() const { return dir_ / "tickets.db"; }
  std::filesystem::path config() const { return dir_ / "operator.yaml"; }

  // operator-host --config FILE --once (exit 0 OK, 1 warning, 2 critical, 3 failed).
  CommandResult once(const ProcessOptions& options = {}) const;
  // operator-host --config FILE, the monitor, until the Process goes away.
  std::unique_ptr<Process> monitor() const;

  // Every ticket, resolved ones too (tickets list --all --json).
  std::vector<Json> tickets() const;
  // The newest ticket of `check` for `subject`, or nullopt.
  std::optional<Json> ticket(const std::string& check, const std::string& subject = "") const;

 private:
  TempDir dir_;
};

// The target YAML for `cluster` with the given checks section, e.g.
// "store_up: {}\n      latency: {enabled: false}".
std::string target_yaml(const TikvCluster& cluster, const std::string& checks);

}  // namespace opr::test
