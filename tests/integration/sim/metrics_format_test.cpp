// tikv-sim's /metrics against TiKV's real exposition (tests/fixtures/tikv).
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "sim_process.h"

namespace opr::test {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> comment_lines(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& line : lines_of(text)) {
    if (line.rfind("# ", 0) == 0) out.push_back(line);
  }
  return out;
}

// The `le` values of the first histogram series, in order.
std::vector<std::string> first_series_buckets(const std::string& text) {
  std::vector<std::string> les;
  const std::regex le(R"re(_bucket\{.*le="([^"]+)"\})re");
  for (const auto& line : lines_of(text)) {
    std::smatch m;
    if (!std::regex_search(line, m, le)) continue;
    les.push_back(m[1]);
    if (m[1] == "+Inf") break;
  }
  return les;
}

// Label names sorted, `le` last; no exponents in values (a gauge may be
// negative or NaN, as rust-prometheus writes an f64).
void expect_tikv_samples(const std::string& body) {
  const std::regex sample(R"re(^[a-z_]+\{(.*)\} (-?[0-9.]+|\+Inf|NaN)$)re");
  const std::regex label(R"re(([a-z_]+)="[^"]*")re");
  for (const auto& line : lines_of(body)) {
    if (line.rfind("#", 0) == 0) continue;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, sample)) << line;
    const std::string labels = m[1];
    std::vector<std::string> names;
    for (auto it = std::sregex_iterator(labels.begin(), labels.end(), label);
         it != std::sregex_iterator(); ++it) {
      names.push_back((*it)[1]);
    }
    ASSERT_FALSE(names.empty());
    EXPECT_EQ("instance", names.front()) << line;
    auto sortable = names;
    if (sortable.back() == "le") sortable.pop_back();
    EXPECT_TRUE(std::is_sorted(sortable.begin(), sortable.end())) << line;
  }
}

void expect_promtool_accepts(const std::string& body) {
  ProcessOptions options;
  options.stdin_text = body;
  const auto check = run_command({"/usr/bin/promtool", "check", "metrics"}, options);
  if (check.exit_code == 3) {
    // Lint only (promtool's exit code 3): TiKV's own names for these
    // families break Prometheus' naming conventions, and the simulator
    // keeps TiKV's names. Any other lint is the simulator's fault.
    for (const auto& line : lines_of(check.out + check.err)) {
      if (line.empty()) continue;
      const bool tikv_name = line.rfind("tikv_gcworker_gc_tasks_vec counter", 0) == 0 ||
                             line.rfind("tikv_coprocessor_request_error counter", 0) == 0 ||
                             line.rfind("tikv_pd_heartbeat_tick_total non-counter", 0) == 0 ||
                             line.rfind("tikv_scheduler_contex_total non-counter", 0) == 0 ||
                             line.rfind("tikv_worker_pending_task_total non-counter", 0) == 0;
      EXPECT_TRUE(tikv_name) << line;
    }
    return;
  }
  EXPECT_EQ(0, check.exit_code) << check.out << check.err;
}

TEST(SimMetrics, FamiliesAndBucketsAreTikvs) {
  SimProcess sim(3);
  const auto metrics = sim.get("/metrics");
  ASSERT_EQ(200, metrics.status);
  const std::string fixture = read_file(fixtures_dir() / "tikv/tikv_metrics_sample.prom");
  // The fixture's families first; the metric family's (family_signals.h) follow.
  const auto expected = comment_lines(fixture);
  auto served = comment_lines(metrics.body);
  ASSERT_GE(served.size(), expected.size());
  served.resize(expected.size());
  EXPECT_EQ(expected, served);
  EXPECT_EQ(first_series_buckets(fixture), first_series_buckets(metrics.body));
  expect_tikv_samples(metrics.body);
}

TEST(SimMetrics, PromtoolAcceptsTheExposition) {
  SimProcess sim(3);
  const auto metrics = sim.get("/metrics");
  ASSERT_EQ(200, metrics.status);
  expect_promtool_accepts(metrics.body);
}

TEST(SimMetrics, InjectedMetricFaultsKeepTikvsFormat) {
  SimProcess sim(8);
  inject_every_metric_fault(sim);
  // The family's counters that TiKV exports only once they counted.
  sim.change_store(7, R"({"channel_full_per_s": 1, "unreachable_reports_per_s": 1, )"
                      R"("coprocessor_errors_per_s": 1, "coprocessor_lock_errors_per_s": 1})");
  const auto metrics = sim.get("/metrics");
  ASSERT_EQ(200, metrics.status);
  expect_tikv_samples(metrics.body);
  expect_promtool_accepts(metrics.body);
  EXPECT_NE(metrics.body.find(
                "tikv_store_size_bytes{instance=\"10.0.1.11:20180\",type=\"available\"} NaN\n"),
            std::string::npos);
  EXPECT_NE(metrics.body.find(
                "tikv_store_size_bytes{instance=\"10.0.1.12:20180\",type=\"available\"} -1\n"),
            std::string::npos);
}

TEST(SimMetrics, AFamilyWithoutSeriesIsLeftOutWhole) {
  SimProcess sim(2);
  for (int id : {1, 2}) sim.change_store(id, R"({"latency_metric": "missing"})");
  const auto metrics = sim.get("/metrics");
  ASSERT_EQ(200, metrics.status);
  // rust-prometheus writes no HELP or TYPE for a family without series.
  EXPECT_EQ(metrics.body.find("tikv_grpc_msg_duration_seconds"), std::string::npos);
  EXPECT_NE(metrics.body.find("# TYPE tikv_store_size_bytes gauge"), std::string::npos);
  expect_promtool_accepts(metrics.body);
}

TEST(SimMetrics, CountersGrowWithTime) {
  SimProcess sim(2);
  const auto first = kv_get_count(sim.get("/metrics").body, "10.0.1.12:20180");
  ASSERT_TRUE(first);
  EXPECT_TRUE(
      wait_until([&] { return kv_get_count(sim.get("/metrics").body, "10.0.1.12:20180") > first; },
                 std::chrono::seconds(5), std::chrono::milliseconds(100)));
}

}  // namespace
}  // namespace opr::test
