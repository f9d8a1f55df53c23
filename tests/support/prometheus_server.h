// opr_test_cluster: a real Prometheus server as a child process, and the
// tests' one way to ask it an instant query.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "test_support.h"

namespace opr::test {

// One sample of an instant query's answer.
struct PromSample {
  nlohmann::json labels;  // the series' labels ("instance", "type", ...)
  double value = 0;       // NaN and infinities kept as Prometheus gave them
};

// Basic auth that Prometheus itself enforces (--web.config.file).
struct PrometheusBasicAuth {
  std::string username;
  std::string password;
  // The bcrypt hash of `password` that basic_auth_users wants, computed once
  // (`htpasswd -nbB -C 4 USER PASSWORD`) and kept as a constant in the test.
  std::string password_hash;
};

struct PrometheusOptions {
  std::chrono::milliseconds scrape_interval = std::chrono::seconds(1);
  // When set, every path (the API and /-/ready too) needs these
  // credentials; this class's own requests send them.
  std::optional<PrometheusBasicAuth> basic_auth;
  // --web.route-prefix, e.g. "/prom": every path is served under it, and
  // nothing outside it. url() includes it.
  std::string route_prefix;
  // Also scrape each target's /pd/metrics (tikv-sim's PD members' own
  // /metrics) in a second job "pd", with honor_labels: true so that the
  // members' instance labels win.
  bool scrape_pd = false;
};

// Debian's /usr/bin/prometheus on a free loopback port, scraping `targets`
// (host:port) every `scrape_interval` with honor_labels: true (job "tikv",
// and job "pd" on /pd/metrics when PrometheusOptions::scrape_pd says so).
// Storage in a temp folder. Stopped on destruction.
class PrometheusServer {
 public:
  PrometheusServer(const std::vector<std::string>& targets,
                   std::chrono::milliseconds scrape_interval = std::chrono::seconds(1));
  PrometheusServer(const std::vector<std::string>& targets, const PrometheusOptions& options);
  ~PrometheusServer();
  PrometheusServer(const PrometheusServer&) = delete;
  PrometheusServer& operator=(const PrometheusServer&) = delete;

  int port() const { return port_; }
  std::string url() const;  // http://127.0.0.1:PORT, and the route prefix if any
  // Waits until /-/ready answers 200.
  bool wait_ready(std::chrono::milliseconds timeout);
  void stop();

  // GET `path` (e.g. "/metrics") under the route prefix, with the
  // credentials Prometheus was told to require.
  HttpResult get(const std::string& path,
                 std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

  // GET /api/v1/query for `promql`, evaluated at `at` (Unix seconds) when
  // given: every sample, or none when the query failed (not 200, not
  // "success", not JSON).
  std::vector<PromSample> query_samples(const std::string& promql,
                                        std::optional<double> at = std::nullopt) const;
  // The same, as instance label -> value.
  std::map<std::string, double> query(const std::string& promql,
                                      std::optional<double> at = std::nullopt) const;

 private:
  TempDir dir_;
  PrometheusOptions options_;
  int port_ = 0;
  std::unique_ptr<Process> process_;
};

}  // namespace opr::test
