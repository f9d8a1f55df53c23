// tikv-sim's control API and what each fault does to PD and /metrics.
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <future>
#include <tuple>
#include <utility>

#include "sim_process.h"

namespace opr::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

bool has_series_of(const std::string& metrics, const std::string& instance) {
  return metrics.find("instance=\"" + instance + "\"") != std::string::npos;
}

TEST(SimControlApi, StoreChangesAnswerTheNewStateAndShowInSimState) {
  SimProcess sim(3);
  const auto answer = sim.post("/sim/stores/2",
                               R"({"state_name": "Down", "p99_ms": 150, "disk_used_percent": 80})");
  ASSERT_EQ(200, answer.status) << answer.body;
  const auto store = parse_json(answer.body);
  EXPECT_EQ(2, store["id"]);
  EXPECT_EQ("Down", store["state_name"]);
  EXPECT_EQ("Down", store["pd_state_name"]);
  EXPECT_EQ(150.0, store["p99_ms"]);
  EXPECT_EQ(80.0, store["disk_used_percent"]);
  EXPECT_EQ(false, store["serves_metrics"]);

  const auto state = parse_json(sim.get("/sim/state").body);
  EXPECT_EQ("ok", state["pd_mode"]);
  ASSERT_EQ(3u, state["stores"].size());
  EXPECT_EQ("Down", state["stores"][1]["state_name"]);
  EXPECT_EQ("Up", state["stores"][0]["state_name"]);
  EXPECT_EQ("Down", parse_json(sim.get("/pd/api/v1/store/2").body)["store"]["state_name"]);
}

TEST(SimControlApi, BadInputIsRefusedWithAMessage) {
  SimProcess sim(3);
  for (const std::string body :
       {"not json", "[1]", R"({"state_name": "Sideways"})", R"({"p99_ms": 0})",
        R"({"p99_ms": "fast"})", R"({"disk_used_percent": 101})", R"({"capacity_bytes": -1})",
        R"({"capacity_bytes": 1.5})", R"({"colour": "red"})", R"({"latency_metric": "slow"})",
        R"({"latency_metric": 1})", R"({"disk_metric": "full"})", R"({"disk_metric": null})",
        R"({"address": 20160})", R"({"slow_score": 101})", R"({"slow_score": -1})",
        R"({"slow_score": 9.5})", R"({"slow_score": "slow"})"}) {
    const auto answer = sim.post("/sim/stores/1", body);
    EXPECT_EQ(400, answer.status) << body;
    EXPECT_TRUE(parse_json(answer.body).contains("error")) << answer.body;
  }
  EXPECT_EQ(404, sim.post("/sim/stores/4", R"({"state_name": "Down"})").status);
  EXPECT_EQ(400, sim.post("/sim/pd", R"({"mode": "sideways"})").status);
  // Nothing changed.
  EXPECT_EQ("Up", parse_json(sim.get("/sim/state").body)["stores"][0]["state_name"]);
}

// The metric family's signals (tools/tikv-sim/family_signals.h): a field
// sets the store's value and shows in its state and its series; a bad value
// or name is refused; missing_metrics takes series away and [] brings them
// back; a counter that appears on its first event is absent until then.
TEST(SimControlApi, MetricFamilyFieldsSetValuesHideSeriesAndRefuseBadInput) {
  SimProcess sim(2);
  const std::string store1 = "{instance=\"10.0.1.11:20180\"";
  EXPECT_EQ(sim.get("/metrics").body.find("tikv_channel_full_total"), std::string::npos);

  const auto answer = sim.post(
      "/sim/stores/1",
      R"({"worker_pending_tasks": 1500, "channel_full_per_s": 5, "async_write_p99_s": 2})");
  ASSERT_EQ(200, answer.status) << answer.body;
  const auto family = parse_json(answer.body)["family"];
  EXPECT_EQ(1500.0, family["worker_pending_tasks"]);
  EXPECT_EQ(2.0, family["async_write_p99_s"]);
  const std::string metrics = sim.get("/metrics").body;
  EXPECT_NE(metrics.find("tikv_worker_pending_task_total" + store1 + ",name=\"pd-worker\"} 1500\n"),
            std::string::npos);
  EXPECT_NE(metrics.find("tikv_channel_full_total" + store1), std::string::npos);
  EXPECT_EQ(metrics.find("tikv_channel_full_total{instance=\"10.0.1.12:20180\""),
            std::string::npos);

  ASSERT_EQ(200, sim.post("/sim/stores/1", R"({"missing_metrics": ["leader_count"]})").status);
  EXPECT_EQ(sim.get("/metrics").body.find("tikv_pd_heartbeat_tick_total" + store1),
            std::string::npos);
  ASSERT_EQ(200, sim.post("/sim/stores/1", R"({"missing_metrics": []})").status);
  EXPECT_NE(sim.get("/metrics").body.find("tikv_pd_heartbeat_tick_total" + store1),
            std::string::npos);

  for (const std::string body :
       {R"({"leader_count": -1})", R"({"leader_count": "many"})", R"({"async_write_p99_s": 0})",
        R"({"async_write_p99_s": 200})", R"({"missing_metrics": ["colour"]})",
        R"({"missing_metrics": "leader_count"})", R"({"restart": 1})",
        R"({"process_start_time_seconds": 5})"}) {
    const auto refused = sim.post("/sim/stores/1", body);
    EXPECT_EQ(400, refused.status) << body;
    EXPECT_TRUE(parse_json(refused.body).contains("error")) << refused.body;
  }
}

// Whatever PD says, for tests of a hostile PD: the address is served as PD
// (Go's encoding/json) writes it, control characters as \u escapes; the
// status address, and so the store's metrics, stay.
TEST(SimControlApi, AStoreAddressCanBeAnyText) {
  SimProcess sim(2);
  const std::string hostile = "\x1b[2J\x1b[31mPWNED\x1b[0m\a";
  const auto answer =
      sim.post("/sim/stores/2", R"({"address": "\u001b[2J\u001b[31mPWNED\u001b[0m\u0007"})");
  ASSERT_EQ(200, answer.status) << answer.body;
  EXPECT_EQ(hostile, parse_json(answer.body)["address"]);
  const std::string body = sim.get("/pd/api/v1/store/2").body;
  EXPECT_NE(body.find(R"("address": "\u001b[2J\u001b[31mPWNED\u001b[0m\u0007",)"),
            std::string::npos)
      << body;
  const auto store = parse_json(body)["store"];
  EXPECT_EQ(hostile, store["address"]);
  EXPECT_EQ(hostile, store["peer_address"]);
  EXPECT_EQ("10.0.1.12:20180", store["status_address"]);
  EXPECT_TRUE(has_series_of(sim.get("/metrics").body, "10.0.1.12:20180"));
}

TEST(SimControlApi, DeadStoresServeNoMetricsAndComeBack) {
  SimProcess sim(3);
  for (const std::string state : {"Down", "Disconnected", "Tombstone"}) {
    sim.change_store(2, R"({"state_name": ")" + state + R"("})");
    const auto metrics = sim.get("/metrics");
    ASSERT_EQ(200, metrics.status);
    EXPECT_FALSE(has_series_of(metrics.body, "10.0.1.12:20180")) << state;
    EXPECT_TRUE(has_series_of(metrics.body, "10.0.1.11:20180")) << state;
  }
  sim.change_store(2, R"({"state_name": "Offline"})");
  EXPECT_TRUE(has_series_of(sim.get("/metrics").body, "10.0.1.12:20180"));
  sim.change_store(2, R"({"state_name": "Up"})");
  EXPECT_TRUE(has_series_of(sim.get("/metrics").body, "10.0.1.12:20180"));
}

TEST(SimControlApi, DiskChangesShowInMetricsAndPd) {
  SimProcess sim(3);
  sim.change_store(3, R"({"disk_used_percent": 80, "capacity_bytes": 2000000000000})");
  const auto metrics = sim.get("/metrics");
  EXPECT_EQ("text/plain; version=0.0.4", metrics.content_type);
  const double capacity = store_size(metrics.body, "10.0.1.13:20180", "capacity").value();
  const double used = store_size(metrics.body, "10.0.1.13:20180", "used").value();
  const double available = store_size(metrics.body, "10.0.1.13:20180", "available").value();
  EXPECT_EQ(2e12, capacity);
  // Just below 80 %, never above: a threshold of 80 must not fire.
  EXPECT_LT(used / capacity, 0.8);
  EXPECT_GT(used / capacity, 0.8 - 1e-9);
  EXPECT_EQ(capacity, used + available);
  const auto status = parse_json(sim.get("/pd/api/v1/store/3").body)["status"];
  EXPECT_EQ("1.819TiB", status["capacity"]);
  EXPECT_EQ("1.455TiB", status["used_size"]);
}

// PD's slow score: 1 until set, shown in the store list and the state, kept
// whatever the store's state; 0 leaves the field out (PD's omitempty).
TEST(SimControlApi, SlowScoreShowsInPdAndZeroLeavesItOut) {
  SimProcess sim(3);
  EXPECT_EQ(1, parse_json(sim.get("/pd/api/v1/store/2").body)["status"]["slow_score"]);
  const auto answer = sim.post("/sim/stores/2", R"({"slow_score": 95})");
  ASSERT_EQ(200, answer.status) << answer.body;
  EXPECT_EQ(95, parse_json(answer.body)["slow_score"]);
  const auto stores = parse_json(sim.get("/pd/api/v1/stores").body)["stores"];
  ASSERT_EQ(3u, stores.size());
  for (const auto& info : stores) {
    EXPECT_EQ(info["store"]["id"] == 2 ? 95 : 1, info["status"]["slow_score"]) << info.dump();
  }
  sim.change_store(2, R"({"state_name": "Disconnected"})");
  EXPECT_EQ(95, parse_json(sim.get("/pd/api/v1/store/2").body)["status"]["slow_score"]);
  sim.change_store(2, R"({"slow_score": 0})");
  const auto status = parse_json(sim.get("/pd/api/v1/store/2").body)["status"];
  EXPECT_FALSE(status.contains("slow_score")) << status.dump();
  EXPECT_TRUE(status.contains("slow_trend"));
}

TEST(SimControlApi, MetricFaultsShowInStateAndLeaveTheStoreUp) {
  SimProcess sim(3);
  const auto answer =
      sim.post("/sim/stores/2", R"({"latency_metric": "idle", "disk_metric": "nan"})");
  ASSERT_EQ(200, answer.status) << answer.body;
  const auto store = parse_json(answer.body);
  EXPECT_EQ("idle", store["latency_metric"]);
  EXPECT_EQ("nan", store["disk_metric"]);
  EXPECT_EQ("Up", store["pd_state_name"]);
  EXPECT_EQ(true, store["serves_metrics"]);

  const auto state = parse_json(sim.get("/sim/state").body);
  EXPECT_EQ("idle", state["stores"][1]["latency_metric"]);
  EXPECT_EQ("nan", state["stores"][1]["disk_metric"]);
  EXPECT_EQ("normal", state["stores"][0]["latency_metric"]);
  EXPECT_EQ("normal", state["stores"][0]["disk_metric"]);
  // PD sees a healthy store with its usual sizes.
  const auto pd = parse_json(sim.get("/pd/api/v1/store/2").body);
  EXPECT_EQ("Up", pd["store"]["state_name"]);
  EXPECT_EQ("1TiB", pd["status"]["capacity"]);
}

TEST(SimControlApi, MissingLatencyMetricDropsOnlyThatStoresHistogram) {
  SimProcess sim(3);
  sim.change_store(2, R"({"latency_metric": "missing"})");
  const auto metrics = sim.get("/metrics").body;
  EXPECT_FALSE(kv_get_count(metrics, "10.0.1.12:20180"));
  EXPECT_TRUE(kv_get_count(metrics, "10.0.1.11:20180"));
  EXPECT_TRUE(store_size(metrics, "10.0.1.12:20180", "capacity"));
  sim.change_store(2, R"({"latency_metric": "normal"})");
  EXPECT_TRUE(kv_get_count(sim.get("/metrics").body, "10.0.1.12:20180"));
}

TEST(SimControlApi, IdleLatencyMetricStopsTheHistogramUntilNormalAgain) {
  SimProcess sim(2);
  sim.change_store(2, R"({"latency_metric": "idle"})");
  const auto counts = [&] {
    const auto metrics = sim.get("/metrics").body;
    return std::make_pair(kv_get_count(metrics, "10.0.1.11:20180").value(),
                          kv_get_count(metrics, "10.0.1.12:20180").value());
  };
  const auto [busy, idle] = counts();
  // Once the busy store's traffic has grown, the idle one's still has not.
  ASSERT_TRUE(wait_until([&] { return counts().first > busy; }, seconds(10), milliseconds(100)));
  EXPECT_EQ(idle, counts().second);

  sim.change_store(2, R"({"latency_metric": "normal"})");
  EXPECT_TRUE(wait_until([&] { return counts().second > idle; }, seconds(10), milliseconds(100)));
}

TEST(SimControlApi, DiskMetricFaultsChangeOnlyWhatMetricsSay) {
  SimProcess sim(3);
  const std::string store_3 = "10.0.1.13:20180";
  const auto sizes = [&](const std::string& fault) {
    sim.change_store(3, R"({"disk_metric": ")" + fault + R"("})");
    const auto metrics = sim.get("/metrics").body;
    return std::make_tuple(store_size(metrics, store_3, "capacity"),
                           store_size(metrics, store_3, "available"),
                           store_size(metrics, store_3, "used"), kv_get_count(metrics, store_3));
  };
  constexpr double kTiB = 1099511627776.0;
  {
    const auto [capacity, available, used, requests] = sizes("nan");
    EXPECT_EQ(kTiB, capacity.value());
    EXPECT_TRUE(std::isnan(available.value()));
    EXPECT_TRUE(requests);  // the store still runs
  }
  {
    const auto [capacity, available, used, requests] = sizes("negative");
    EXPECT_EQ(-1, available.value());
  }
  {
    const auto [capacity, available, used, requests] = sizes("zero_capacity");
    EXPECT_EQ(0, capacity.value());
    EXPECT_EQ(0, available.value());
    EXPECT_EQ(0, used.value());
  }
  {
    const auto [capacity, available, used, requests] = sizes("available_over_capacity");
    EXPECT_GT(available.value(), capacity.value());
  }
  {
    const auto [capacity, available, used, requests] = sizes("no_available");
    EXPECT_EQ(kTiB, capacity.value());
    EXPECT_FALSE(available);
  }
  {
    const auto [capacity, available, used, requests] = sizes("missing");
    EXPECT_FALSE(capacity);
    EXPECT_FALSE(available);
    EXPECT_TRUE(requests);
  }
  {
    const auto [capacity, available, used, requests] = sizes("normal");
    EXPECT_EQ(capacity.value(), used.value() + available.value());
  }
  EXPECT_EQ("1TiB", parse_json(sim.get("/pd/api/v1/store/3").body)["status"]["capacity"]);
}

TEST(SimControlApi, PdErrorAndGarbageModesLeaveMetricsAlone) {
  SimProcess sim(3);
  sim.set_pd_mode("error");
  const auto error = sim.get("/pd/api/v1/stores");
  EXPECT_EQ(500, error.status);
  EXPECT_TRUE(parse_json(error.body).is_string()) << error.body;
  EXPECT_EQ(500, sim.get("/pd/api/v1/health").status);
  EXPECT_EQ(200, sim.get("/metrics").status);

  sim.set_pd_mode("garbage");
  const auto garbage = sim.get("/pd/api/v1/stores");
  EXPECT_EQ(200, garbage.status);
  EXPECT_TRUE(OrderedJson::parse(garbage.body, nullptr, false).is_discarded()) << garbage.body;
  EXPECT_EQ("garbage", parse_json(sim.get("/sim/state").body)["pd_mode"]);

  sim.set_pd_mode("ok");
  EXPECT_EQ(200, sim.get("/pd/api/v1/stores").status);
}

TEST(SimControlApi, HangingPdHoldsNothingElseAndAnswersOnceHealed) {
  SimProcess sim(3);
  sim.set_pd_mode("hang");
  EXPECT_EQ(0, sim.get("/pd/api/v1/stores", milliseconds(300)).status);
  ASSERT_TRUE(wait_until([&] { return sim.pd_requests() == 1; }, seconds(30)));
  // Several hanging requests at once, each inside its handler...
  std::vector<std::future<HttpResult>> hanging;
  for (int i = 0; i < 20; ++i) {
    hanging.push_back(
        std::async(std::launch::async, [&] { return sim.get("/pd/api/v1/store/1", seconds(60)); }));
  }
  ASSERT_TRUE(wait_until([&] { return sim.pd_requests() == 21; }, seconds(30)));
  // ...and /metrics and /sim still answer (how fast: bench/run).
  EXPECT_EQ(200, sim.get("/metrics").status);
  EXPECT_EQ(200, sim.get("/sim/state").status);
  for (auto& h : hanging) EXPECT_EQ(std::future_status::timeout, h.wait_for(milliseconds(0)));

  sim.set_pd_mode("ok");
  for (auto& h : hanging) {
    ASSERT_EQ(std::future_status::ready, h.wait_for(seconds(30)));
    EXPECT_EQ(200, h.get().status);
  }
}

TEST(SimControlApi, SlowPdAnswersAfterTheDelay) {
  SimProcess sim(3);
  ASSERT_EQ(200, sim.post("/sim/pd", R"({"mode": "slow", "delay_ms": 700})").status);
  const auto started = steady_clock::now();
  const auto answer = sim.get("/pd/api/v1/stores");
  EXPECT_EQ(200, answer.status);
  EXPECT_GE(steady_clock::now() - started, milliseconds(700));
  EXPECT_EQ(3, parse_json(answer.body)["count"]);
}

TEST(SimControlApi, SigtermStopsItCleanlyEvenWhilePdHangs) {
  SimProcess sim(3);
  sim.set_pd_mode("hang");
  auto hanging =
      std::async(std::launch::async, [&] { return sim.get("/pd/api/v1/stores", seconds(60)); });
  // The signal comes while the request is held, not before it arrived.
  ASSERT_TRUE(wait_until([&] { return sim.pd_requests() == 1; }, seconds(30)));
  sim.process().signal(SIGTERM);
  EXPECT_EQ(0, sim.process().wait(seconds(20)));
  EXPECT_EQ(std::future_status::ready, hanging.wait_for(seconds(30)));
}

}  // namespace
}  // namespace opr::test
