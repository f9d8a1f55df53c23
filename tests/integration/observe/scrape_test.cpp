// A real Prometheus scrapes operator-host's /metrics while the monitor
// watches tikv-sim through the same Prometheus: after a fault is injected,
// the monitor's runs, failures and open tickets by severity are read back
// through Prometheus' HTTP API, as an operator's dashboards and alerts
// would read them. The page itself passes promtool's parser and linter.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "observe_helpers.h"
#include "prometheus_server.h"
#include "sim_process.h"
#include "tikv_family.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kPatience = 60s;

// The single value `promql` answers with, or nullopt when it answers none
// (or more than one).
std::optional<double> one_value(const PrometheusServer& prometheus, const std::string& promql) {
  const auto samples = prometheus.query_samples(promql);
  if (samples.size() != 1) return std::nullopt;
  return samples[0].value;
}

// Waits until `promql` answers one value that `holds`.
bool wait_for_value(const PrometheusServer& prometheus, const std::string& promql,
                    const std::function<bool(double)>& holds) {
  return wait_until(
      [&] {
        const auto value = one_value(prometheus, promql);
        return value && holds(*value);
      },
      kPatience, 200ms);
}

TEST(SelfMonitoring, PrometheusReadsRunsFailuresAndOpenTicketsBySeverity) {
  SimProcess sim(3);
  const int port = free_port();
  PrometheusOptions options;
  options.scrape_interval = 500ms;
  PrometheusServer prometheus({sim.address(), "127.0.0.1:" + std::to_string(port)}, options);
  ASSERT_TRUE(prometheus.wait_ready(kPatience));

  HostHarness host({packs_dir() / "tikv.so"});
  host.write_config(
      http_listen(port) +
      "defaults: {interval: 500ms, timeout: 2s, failure_threshold: 2}\n"
      "targets:\n  - name: t\n" +
      with_metric_family_off("    pack: tikv\n    pd_endpoint: http://" + sim.address() +
                             "\n    prometheus_url: " + prometheus.url() +
                             "\n    checks:\n      store_up: {}\n      latency: {enabled: false}\n"
                             "      disk_space: {enabled: false}\n"));
  auto monitor = host.start();

  // Healthy: ok runs, no ticket, a cycle completed lately.
  ASSERT_TRUE(wait_for_value(
      prometheus, R"(operator_check_runs_total{target="t",check="store_up",outcome="ok"})",
      [](double v) { return v >= 2; }))
      << monitor->err();
  ASSERT_TRUE(wait_for_value(prometheus,
                             R"(up{instance="127.0.0.1:)" + std::to_string(port) + "\"}",
                             [](double v) { return v == 1; }));
  EXPECT_TRUE(wait_for_value(
      prometheus, R"(time() - operator_target_last_completed_cycle_timestamp_seconds{target="t"})",
      [](double age) { return age < 30; }));
  EXPECT_TRUE(one_value(prometheus, R"(operator_build_info)").has_value());

  // Store 2 goes Down: a critical ticket, and the runs that saw it.
  sim.change_store(2, R"({"state_name": "Down"})");
  ASSERT_TRUE(wait_for_value(
      prometheus, R"(operator_open_tickets{target="t",check="store_up",severity="critical"})",
      [](double v) { return v == 1; }))
      << monitor->err();
  EXPECT_TRUE(wait_for_value(
      prometheus, R"(operator_check_runs_total{target="t",check="store_up",outcome="violated"})",
      [](double v) { return v >= 1; }));
  EXPECT_TRUE(wait_for_value(prometheus,
                             R"(operator_violations_reported_total{target="t",check="store_up"})",
                             [](double v) { return v >= 1; }));

  // PD answers errors: failed runs, and one ticket for their cause (check
  // ":failed", subject PD).
  sim.set_pd_mode("error");
  EXPECT_TRUE(wait_for_value(
      prometheus, R"(operator_check_runs_total{target="t",check="store_up",outcome="failed"})",
      [](double v) { return v >= 2; }))
      << monitor->err();
  EXPECT_TRUE(wait_for_value(prometheus,
                             R"(sum(operator_open_tickets{target="t",check=":failed"}))",
                             [](double v) { return v == 1; }))
      << monitor->err();
  EXPECT_TRUE(wait_for_value(
      prometheus, R"(operator_check_run_duration_seconds_count{target="t",check="store_up"})",
      [](double v) { return v >= 4; }));

  // Healed: the tickets resolve and their series read 0, not a gap.
  sim.set_pd_mode("ok");
  sim.change_store(2, R"({"state_name": "Up"})");
  EXPECT_TRUE(wait_for_value(prometheus, R"(sum(operator_open_tickets{target="t"}))", [](double v) {
    return v == 0;
  })) << monitor->err();

  // The page as served passes Prometheus' own parser and linter.
  const HttpResult page = http_request(port, "GET", "/metrics");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/plain; version=0.0.4; charset=utf-8");
  ProcessOptions stdin_page;
  stdin_page.stdin_text = page.body;
  const CommandResult lint = run_command({"/usr/bin/promtool", "check", "metrics"}, stdin_page);
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err << page.body;
}

}  // namespace
}  // namespace opr::test
