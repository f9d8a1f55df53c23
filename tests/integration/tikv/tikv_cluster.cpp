#include "tikv_cluster.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <set>

#include "tikv_family.h"

namespace opr::test {

std::string status_address(int id) {
  return "10.0." + std::to_string(1 + (id - 1) / 200) + "." + std::to_string(11 + (id - 1) % 200) +
         ":20180";
}

PrometheusOptions cluster_prometheus() {
  PrometheusOptions options;
  options.scrape_interval = std::chrono::milliseconds(500);
  options.scrape_pd = true;  // PD's own /metrics too, for the PD checks
  return options;
}

PrometheusBasicAuth basic_auth() {
  // `htpasswd -nbB -C 4 operator 'p@ss w0rd'` (apache2-utils), computed once:
  // bcrypt salts every hash anew, and CI installs no htpasswd. Cost 4, the
  // least, so that checking it on every request costs Prometheus little.
  return {"operator", "p@ss w0rd", "$2y$04$JY4NUaIVMmFRCEb6pkI8MeK5qpvLQwmPErNtnUoqjGo3OtQAp2Bl2"};
}

TikvCluster::TikvCluster(size_t stores, const std::vector<std::string>& sim_args,
                         bool with_prometheus)
    : sim_(stores, sim_args), stores_(stores) {
  if (with_prometheus) start_prometheus(cluster_prometheus());
}

TikvCluster::TikvCluster(size_t stores, const std::vector<std::string>& sim_args,
                         const PrometheusOptions& prometheus)
    : sim_(stores, sim_args), stores_(stores) {
  start_prometheus(prometheus);
}

void TikvCluster::start_prometheus(const PrometheusOptions& options) {
  prometheus_ =
      std::make_unique<PrometheusServer>(std::vector<std::string>{sim_.address()}, options);
  EXPECT_TRUE(prometheus_->wait_ready(kPatience)) << "Prometheus did not get ready";
}

std::string TikvCluster::pd_url() const { return "http://" + sim_.address(); }

std::string TikvCluster::prometheus_url() const {
  return prometheus_ ? prometheus_->url() : "http://127.0.0.1:9";
}

bool TikvCluster::wait_for_p99_ms(const std::map<int, double>& expected_ms,
                                  const std::string& window) {
  // The sim reads back just below the configured value (< 0.1 % of a bucket).
  return wait_for_values(
      "histogram_quantile(0.99, sum(rate(tikv_grpc_msg_duration_seconds_bucket{type!=\"kv_gc\"}[" +
          window + "])) by (le, instance))",
      expected_ms,
      [](double seconds, double ms) { return std::abs(seconds * 1000 - ms) <= ms * 0.01; });
}

bool TikvCluster::wait_for_disk_percent(const std::map<int, double>& expected) {
  return wait_for_values(
      "100 * (sum by (instance) (tikv_store_size_bytes{type=\"capacity\"}) - sum by (instance) "
      "(tikv_store_size_bytes{type=\"available\"})) / sum by (instance) "
      "(tikv_store_size_bytes{type=\"capacity\"})",
      expected, [](double percent, double wanted) { return std::abs(percent - wanted) <= 0.01; });
}

bool TikvCluster::wait_for_stores(const std::string& promql, const std::vector<int>& ids) {
  std::set<std::string> expected;
  for (const int id : ids) expected.insert(status_address(id));
  return wait_until(
      [&] {
        std::set<std::string> found;
        for (const auto& [instance, value] : prometheus_->query(promql)) found.insert(instance);
        return found == expected;
      },
      kPatience, std::chrono::milliseconds(200));
}

bool TikvCluster::wait_for_values(const std::string& promql, const std::map<int, double>& expected,
                                  const std::function<bool(double, double)>& matches) {
  return wait_until(
      [&] {
        const auto values = prometheus_->query(promql);
        if (values.size() < stores_) return false;
        for (const auto& [id, wanted] : expected) {
          const auto it = values.find(status_address(id));
          // Written so that NaN (an idle histogram) never matches.
          if (it == values.end() || !matches(it->second, wanted)) return false;
        }
        return true;
      },
      kPatience, std::chrono::milliseconds(200));
}

TikvHost::TikvHost(const std::string& target, const std::string& defaults)
    : HostHarness({packs_dir() / "tikv.so"}) {
  write_config("log: {level: debug}\ndefaults: " + defaults + "\ntargets:\n  - name: t\n" +
               with_metric_family_off(target));
}

std::string target_yaml(const TikvCluster& cluster, const std::string& checks,
                        const std::string& params) {
  // A trailing slash on the Prometheus URL, as people paste it.
  return "    pack: tikv\n    pd_endpoint: " + cluster.pd_url() +
         "\n    prometheus_url: " + cluster.prometheus_url() + "/\n" + params +
         "    checks:\n      " + checks + "\n";
}

}  // namespace opr::test
