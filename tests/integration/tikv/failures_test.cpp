// A check that cannot evaluate fails: never passes, never resolves what is
// open, and opens a ticket after failure_threshold runs: the ticket of its
// cause when the pack names one (PD's, Prometheus'; cause_test.cpp has
// several checks sharing it), else the check's own `<check>:failed`.
#include <gtest/gtest.h>

#include <chrono>
#include <ostream>

#include "tikv_cluster.h"

namespace opr::test {
namespace {

constexpr const char* kStoreUpOnly =
    "store_up: {timeout: 1s}\n      latency: {enabled: false}\n      disk_space: {enabled: false}";

struct PdFault {
  std::string mode;
  // The failure the run must print after "FAILED t/store_up: ": what
  // follows PD's request ("PD GET <url> ") when `after_request`, else a part
  // of it anywhere.
  std::string reason;
  bool after_request = true;
  // The pack names PD as the cause. A hang is cut off by the engine (no
  // cause: store_up:failed) or by the HTTP client (PD's), whichever is first.
  std::optional<bool> caused = true;
};

void PrintTo(const PdFault& fault, std::ostream* out) { *out << fault.mode; }

// The ticket of `check` for `subject` once it has `status`, or nullopt at the deadline.
std::optional<Json> wait_for_ticket(const TikvHost& host, const std::string& check,
                                    const std::string& subject, const std::string& status) {
  std::optional<Json> ticket;
  wait_until(
      [&] {
        ticket = host.cli_ticket(check, subject);
        return ticket && (*ticket)["status"] == status;
      },
      kPatience, std::chrono::milliseconds(100));
  if (ticket && (*ticket)["status"] != status) return std::nullopt;
  return ticket;
}

class TikvPdFailure : public testing::TestWithParam<PdFault> {};

TEST_P(TikvPdFailure, FailsKeepsStoreTicketsOpenAndOpensAFailedTicketAtTheThreshold) {
  TikvCluster cluster(3, {}, false);
  cluster.sim().change_store(2, R"({"state_name": "Down"})");
  TikvHost host(target_yaml(cluster, kStoreUpOnly));
  ASSERT_EQ(host.run_once().exit_code, 2);
  ASSERT_EQ(host.cli_ticket("store_up", "2").value()["status"], "open");

  // One run: failed (UNKNOWN), never OK, and the reason says why.
  cluster.sim().set_pd_mode(GetParam().mode);
  const CommandResult failed = host.run_once();
  EXPECT_EQ(failed.exit_code, 3) << failed.out << failed.err;
  if (GetParam().after_request) {
    EXPECT_TRUE(contains(failed.out, "FAILED t/store_up: PD GET " + cluster.pd_url() +
                                         "/pd/api/v1/stores " + GetParam().reason))
        << failed.out;
  } else {
    EXPECT_TRUE(contains(failed.out, "FAILED t/store_up: ")) << failed.out;
    EXPECT_TRUE(contains(failed.out, GetParam().reason)) << failed.out;
  }
  EXPECT_EQ(host.cli_ticket("store_up", "2").value()["status"], "open");
  EXPECT_FALSE(host.cli_ticket("store_up:failed"));

  // The monitor counts failures in a row: the failure's ticket opens at the
  // threshold (2), and the store's ticket stays open throughout.
  const auto monitor = host.start();
  const std::string cause = "pd:" + cluster.pd_url();
  std::string check = GetParam().caused.value_or(true) ? ":failed" : "store_up:failed";
  std::string subject = GetParam().caused.value_or(true) ? cause : "";
  if (!GetParam().caused) {
    wait_until(
        [&] { return host.cli_ticket(":failed", cause) || host.cli_ticket("store_up:failed"); },
        kPatience, std::chrono::milliseconds(100));
    if (host.cli_ticket("store_up:failed")) {
      check = "store_up:failed";
      subject = "";
    }
  }
  const auto failed_ticket = wait_for_ticket(host, check, subject, "open");
  ASSERT_TRUE(failed_ticket) << monitor->err();
  const Json& snapshot = (*failed_ticket)["metric_snapshot"];
  if (check == ":failed") {
    // The cause's ticket: every check that asks PD bumps it, and its
    // snapshot has the streak of the check that failed last, which reached
    // the threshold (2) before the ticket opened.
    EXPECT_GE(snapshot["consecutive_failures"].get<int>(), 2) << *failed_ticket;
    EXPECT_GE((*failed_ticket)["occurrence_count"].get<int>(), 1) << *failed_ticket;
  } else {
    // Opened at the second failure in a row; each failure after it (the
    // monitor goes on while the test reads) adds one to both counts.
    EXPECT_EQ(snapshot["consecutive_failures"].get<int>() -
                  (*failed_ticket)["occurrence_count"].get<int>(),
              1)
        << *failed_ticket;
  }
  EXPECT_EQ(host.cli_ticket("store_up", "2").value()["status"], "open");
  if (check == ":failed") {
    EXPECT_FALSE(host.cli_ticket("store_up:failed"));
  }

  cluster.sim().set_pd_mode("ok");
  EXPECT_TRUE(wait_for_ticket(host, check, subject, "resolved")) << monitor->err();
  EXPECT_EQ(host.cli_ticket("store_up", "2").value()["status"], "open");
}

// A hanging PD is cut off at the check's timeout (1 s here): by the engine
// giving up on the run ("timed out after 1s") or by the host's HTTP client
// at the same deadline ("PD GET ... failed: timed out at the run's
// deadline"), whichever comes first; both say "timed out", and that is all
// this asserts.
INSTANTIATE_TEST_SUITE_P(
    Modes, TikvPdFailure,
    testing::Values(PdFault{"error", "answered HTTP 500: [PD:cluster:"},
                    PdFault{"garbage", "gave an unusable answer: malformed JSON"},
                    PdFault{"hang", "timed out", false, std::nullopt}),
    [](const testing::TestParamInfo<PdFault>& info) { return info.param.mode; });

TEST(TikvPdFailure, ReasonsNameTheEndpointAndWhatWasWrong) {
  TikvCluster cluster(3, {}, false);
  TikvHost host(target_yaml(cluster, kStoreUpOnly));
  const std::string request = "FAILED t/store_up: PD GET " + cluster.pd_url() + "/pd/api/v1/stores";
  cluster.sim().set_pd_mode("error");
  const CommandResult error = host.run_once();
  EXPECT_TRUE(contains(error.out, request + " answered HTTP 500: [PD:cluster:ErrNotBootstrapped]"))
      << error.out;
  cluster.sim().set_pd_mode("garbage");
  const CommandResult garbage = host.run_once();
  EXPECT_TRUE(contains(garbage.out, request + " gave an unusable answer: malformed JSON"))
      << garbage.out;
}

TEST(TikvPrometheusFailure, StoppedPrometheusFailsLatencyAndDiskNotPasses) {
  TikvCluster cluster(3);
  cluster.sim().change_store(1, R"({"disk_used_percent": 80})");
  ASSERT_TRUE(cluster.wait_for_disk_percent({{1, 80}}));
  ASSERT_TRUE(cluster.wait_for_p99_ms({}));
  TikvHost host(
      target_yaml(cluster, "store_up: {}\n      latency: {rate_window: 2s}\n      disk_space: {}"));
  const CommandResult before = host.run_once();
  ASSERT_EQ(before.exit_code, 1) << before.out << before.err;
  ASSERT_EQ(host.cli_ticket("disk_space", "1").value()["status"], "open");

  const std::string query_url = cluster.prometheus_url() + "/api/v1/query";
  cluster.prometheus().stop();
  const CommandResult failed = host.run_once();
  EXPECT_EQ(failed.exit_code, 3) << failed.out << failed.err;
  EXPECT_TRUE(contains(failed.out, "FAILED t/latency: Prometheus GET " + query_url + " failed: "))
      << failed.out;
  EXPECT_TRUE(
      contains(failed.out, "FAILED t/disk_space: Prometheus GET " + query_url + " failed: "))
      << failed.out;
  EXPECT_TRUE(contains(failed.out, "OK t/store_up")) << failed.out;
  EXPECT_EQ(host.cli_ticket("disk_space", "1").value()["status"], "open");

  // One ticket for Prometheus, blocking both checks that ask it.
  const auto monitor = host.start();
  const auto prometheus =
      wait_for_ticket(host, ":failed", "prometheus:" + cluster.prometheus_url(), "open");
  ASSERT_TRUE(prometheus) << monitor->err();
  EXPECT_FALSE(host.cli_ticket("latency:failed"));
  EXPECT_FALSE(host.cli_ticket("disk_space:failed"));
  EXPECT_EQ(host.cli_ticket("disk_space", "1").value()["status"], "open");
  EXPECT_EQ(host.cli_ticket("disk_space", "1").value()["blocked_by"], (*prometheus)["id"]);
  EXPECT_FALSE(host.cli_ticket("store_up:failed"));
}

TEST(TikvPrometheusFailure, PrometheusWithoutTikvSeriesFails) {
  TikvCluster cluster(3, {}, false);
  // A Prometheus that scrapes nothing TiKV-like (nothing listens there).
  PrometheusServer prometheus({"127.0.0.1:" + std::to_string(free_port())},
                              std::chrono::milliseconds(500));
  ASSERT_TRUE(prometheus.wait_ready(kPatience));
  TikvHost host("    pack: tikv\n    pd_endpoint: " + cluster.pd_url() +
                "\n    prometheus_url: " + prometheus.url() +
                "\n    checks:\n      store_up: {enabled: false}\n      latency: {}\n"
                "      disk_space: {}\n");
  const CommandResult run = host.run_once();
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_TRUE(contains(run.out,
                       "FAILED t/latency: Prometheus has no tikv_grpc_msg_duration_seconds series "
                       "for any of the 3 stores; is it scraping TiKV?"))
      << run.out;
  EXPECT_TRUE(contains(run.out, "FAILED t/disk_space: Prometheus has no tikv_store_size_bytes"))
      << run.out;
}

}  // namespace
}  // namespace opr::test
