// A simulated TiKV cluster with a real Prometheus scraping it, and
// operator-host running the tikv pack against both, for end-to-end tests.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "host_harness.h"
#include "prometheus_server.h"
#include "sim_process.h"
#include "test_support.h"
#include "tikv_family.h"

namespace opr::test {

// Generous: the suite also runs under sanitizers on two busy cores.
constexpr std::chrono::seconds kPatience{60};

// The Prometheus of a TikvCluster unless told otherwise: scraping every 500 ms,
// the stores' /metrics (job "tikv") and the PD members' /pd/metrics (job "pd").
PrometheusOptions cluster_prometheus();

// Store `id`'s status_address in tikv-sim's address scheme (the instance
// label of its series): store 1 at 10.0.1.11:20180, 200 stores per /24.
std::string status_address(int id);

// operator with the password 'p@ss w0rd', for a Prometheus that requires
// basic auth (PrometheusOptions::basic_auth).
PrometheusBasicAuth basic_auth();

class TikvCluster {
 public:
  // tikv-sim with `stores` stores (and `sim_args`), and unless told
  // otherwise a Prometheus (cluster_prometheus()) scraping it. Fails the
  // test if either does not start.
  explicit TikvCluster(size_t stores = 3, const std::vector<std::string>& sim_args = {},
                       bool with_prometheus = true);
  // The same with a Prometheus started with `prometheus`.
  TikvCluster(size_t stores, const std::vector<std::string>& sim_args,
              const PrometheusOptions& prometheus);

  SimProcess& sim() { return sim_; }
  PrometheusServer& prometheus() { return *prometheus_; }
  std::string pd_url() const;
  // Prometheus' URL (with its route prefix, if any). Without a Prometheus: a
  // URL nothing answers on (the pack needs one set).
  std::string prometheus_url() const;

  // Waits until every store's p99 (seconds, over `window`) and used disk
  // share (percent) are what `expected` says, keyed by store id; stores not
  // named must merely have a value.
  bool wait_for_p99_ms(const std::map<int, double>& expected_ms, const std::string& window = "2s");
  bool wait_for_disk_percent(const std::map<int, double>& expected);
  // Waits until Prometheus answers `promql` for the instances of stores
  // `ids` and no others.
  bool wait_for_stores(const std::string& promql, const std::vector<int>& ids);

 private:
  // Waits until `promql` answers for every store, and for each store named
  // in `expected` with a value that `matches(value, expected)`.
  bool wait_for_values(const std::string& promql, const std::map<int, double>& expected,
                       const std::function<bool(double, double)>& matches);

  void start_prometheus(const PrometheusOptions& options);

  SimProcess sim_;
  size_t stores_;
  std::unique_ptr<PrometheusServer> prometheus_;
};

// operator-host with the tikv pack and a config of one target named "t":
// `target` is its YAML after "- name: t\n". The config logs at debug (so
// tests see that secrets never show) and sets `defaults`. Unless `target`
// names a check of the per-store metric family (store_metric_rows.h), the
// family is turned off (with_metric_family_off()), so that tests of the
// other checks see only those.
class TikvHost : public HostHarness {
 public:
  explicit TikvHost(
      const std::string& target,
      const std::string& defaults = "{interval: 1s, timeout: 2s, failure_threshold: 2}");
};

// The target YAML for `cluster` with the given checks section, e.g.
// "store_up: {}\n      latency: {enabled: false}", and `params`, whole lines
// of pack parameters (e.g. "    store_list_max_age: 0s\n"), after the
// endpoints.
std::string target_yaml(const TikvCluster& cluster, const std::string& checks,
                        const std::string& params = "");

}  // namespace opr::test
