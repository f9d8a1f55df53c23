// A store the pack cannot see is never counted healthy: its open ticket stays
// open while its metrics are missing or unusable (marked unknown in `tickets
// show`), and resolves only after a run that saw the store well again.
// tikv-sim breaks what store 3's /metrics says; a real Prometheus scrapes it.
#include <gtest/gtest.h>

#include <cmath>
#include <ostream>

#include "tikv_cluster.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kStore3 = "10.0.1.13:20180";

struct Blindness {
  std::string name;
  std::string check;  // latency or disk_space
  std::string fault;  // the sim's change for store 3
  std::string heal;   // back to normal, still with the violating value
};

void PrintTo(const Blindness& b, std::ostream* out) { *out << b.name; }

class TikvPartialSight : public testing::TestWithParam<Blindness> {
 protected:
  bool is_latency() const { return GetParam().check == "latency"; }

  // Store 3's value as the pack's query sees it, or nullopt when absent.
  std::optional<double> store3_value() {
    const auto values =
        is_latency()
            ? cluster_.prometheus().query(
                  "histogram_quantile(0.99, sum(rate(tikv_grpc_msg_duration_seconds_bucket[2s])) "
                  "by (le, instance))")
            : cluster_.prometheus().query(
                  "tikv_store_size_bytes{type=\"available\"} / ignoring(type) "
                  "tikv_store_size_bytes{type=\"capacity\"}");
    const auto found = values.find(kStore3);
    if (found == values.end()) return std::nullopt;
    return found->second;
  }

  // Waits until Prometheus no longer has a usable value for store 3.
  bool wait_until_blind() {
    return wait_until(
        [&] {
          const auto value = store3_value();
          return !value || !std::isfinite(*value) || *value < 0 || *value > 1.0;
        },
        kPatience, 200ms);
  }

  TikvCluster cluster_{3};
};

TEST_P(TikvPartialSight, AnUnseenStoreKeepsItsTicketUntilARunSeesItHealthy) {
  const Blindness& blind = GetParam();
  // Store 3 in violation, and a ticket for it.
  if (is_latency()) {
    cluster_.sim().change_store(3, R"({"p99_ms": 150})");
    ASSERT_TRUE(cluster_.wait_for_p99_ms({{3, 150}}));
  } else {
    cluster_.sim().change_store(3, R"({"disk_used_percent": 95})");
    ASSERT_TRUE(cluster_.wait_for_disk_percent({{3, 95}}));
  }
  // Only the check under test: the other's answer would decide exit codes.
  TikvHost host(target_yaml(
      cluster_, std::string("store_up: {enabled: false}\n") +
                    "      latency: {rate_window: 2s, grace: 0s, interval: 100ms, enabled: " +
                    (is_latency() ? "true" : "false") + "}\n" +
                    "      disk_space: {interval: 100ms, enabled: " +
                    (is_latency() ? "false" : "true") + "}"));
  const CommandResult first = host.run_once();
  ASSERT_EQ(first.exit_code, 1) << first.out << first.err;
  const auto opened = host.cli_ticket(blind.check, "3");
  ASSERT_TRUE(opened && (*opened)["status"] == "open") << first.out;

  // Its metrics go missing or unusable: never healthy, never resolved.
  cluster_.sim().change_store(3, blind.fault);
  ASSERT_TRUE(wait_until_blind()) << blind.name;
  int runs = 0;
  std::optional<Json> ticket;
  ASSERT_TRUE(wait_until(
      [&] {
        const CommandResult run = host.run_once();
        ++runs;
        EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
        EXPECT_NE(run.out.find("UNKNOWN t/" + blind.check + ": 3: "), std::string::npos) << run.out;
        ticket = host.cli_ticket(blind.check, "3");
        EXPECT_TRUE(ticket && (*ticket)["status"] == "open") << "resolved while unseen";
        return runs >= 3 && ticket && (*ticket)["unknown"] == true;
      },
      kPatience, 1ms))
      << "never marked unknown after " << runs << " runs";
  EXPECT_EQ((*ticket)["id"], (*opened)["id"]);
  EXPECT_EQ((*ticket)["occurrence_count"], (*opened)["occurrence_count"])
      << "a run that could not see the store did not see the violation again";
  EXPECT_FALSE((*ticket)["unknown_reason"].get<std::string>().empty());

  const CommandResult shown =
      host.run({"tickets", "show", std::to_string((*ticket)["id"].get<int64_t>())});
  EXPECT_NE(shown.out.find("unknown reason"), std::string::npos) << shown.out;

  // Seen again, still in violation: the same ticket, seen, no longer unknown.
  cluster_.sim().change_store(3, blind.heal);
  if (is_latency()) {
    ASSERT_TRUE(cluster_.wait_for_p99_ms({{3, 150}}));
  } else {
    ASSERT_TRUE(cluster_.wait_for_disk_percent({{3, 95}}));
  }
  EXPECT_EQ(host.run_once().exit_code, 1);
  ticket = host.cli_ticket(blind.check, "3");
  EXPECT_EQ((*ticket)["status"], "open");
  EXPECT_EQ((*ticket)["unknown"], false);

  // Seen healthy: now it resolves.
  if (is_latency()) {
    cluster_.sim().change_store(3, R"({"p99_ms": 5})");
    ASSERT_TRUE(cluster_.wait_for_p99_ms({{3, 5}}));
  } else {
    cluster_.sim().change_store(3, R"({"disk_used_percent": 30})");
    ASSERT_TRUE(cluster_.wait_for_disk_percent({{3, 30}}));
  }
  const CommandResult healed = host.run_once();
  EXPECT_EQ(healed.exit_code, 0) << healed.out << healed.err;
  EXPECT_EQ(host.cli_ticket(blind.check, "3").value()["status"], "resolved");
}

INSTANTIATE_TEST_SUITE_P(
    Faults, TikvPartialSight,
    testing::Values(
        Blindness{"disconnected_disk", "disk_space", R"({"state_name": "Disconnected"})",
                  R"({"state_name": "Up"})"},
        Blindness{"disconnected_latency", "latency", R"({"state_name": "Disconnected"})",
                  R"({"state_name": "Up"})"},
        Blindness{"latency_missing", "latency", R"({"latency_metric": "missing"})",
                  R"({"latency_metric": "normal"})"},
        Blindness{"latency_idle_nan", "latency", R"({"latency_metric": "idle"})",
                  R"({"latency_metric": "normal"})"},
        Blindness{"disk_missing", "disk_space", R"({"disk_metric": "missing"})",
                  R"({"disk_metric": "normal"})"},
        Blindness{"disk_nan", "disk_space", R"({"disk_metric": "nan"})",
                  R"({"disk_metric": "normal"})"},
        Blindness{"disk_negative", "disk_space", R"({"disk_metric": "negative"})",
                  R"({"disk_metric": "normal"})"},
        Blindness{"disk_zero_capacity", "disk_space", R"({"disk_metric": "zero_capacity"})",
                  R"({"disk_metric": "normal"})"},
        Blindness{"disk_available_over_capacity", "disk_space",
                  R"({"disk_metric": "available_over_capacity"})", R"({"disk_metric": "normal"})"},
        Blindness{"disk_no_available", "disk_space", R"({"disk_metric": "no_available"})",
                  R"({"disk_metric": "normal"})"}),
    [](const testing::TestParamInfo<Blindness>& info) { return info.param.name; });

}  // namespace
}  // namespace opr::test
