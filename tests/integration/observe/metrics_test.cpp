// /metrics from a running monitor: what the notification sender did and
// what waits in the outbox, pack files that failed to load, and the
// engine's counters, as a scrape reads them.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "loopback_server.h"
#include "observe_helpers.h"
#include "sim_process.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

TEST(MonitorMetrics, NotificationsSentRetriedQueuedAndPackLoadFailures) {
  LoopbackServer hook;
  hook.server().Post("/hook",
                     [](const httplib::Request&, httplib::Response& res) { res.status = 200; });
  hook.start();
  const int nobody = free_port();  // a receiver nothing answers for
  HostHarness harness({fixture_pack("control"), fixture_pack("bad")});
  write_file(harness.file("a.cmd"), "violate s1 critical disk full\n");
  const int port = free_port();
  harness.write_config(http_listen(port) +
                       "notify:\n"
                       "  - {name: good, type: webhook, url: '" +
                       hook.url("/hook") +
                       "'}\n"
                       "  - {name: dead, type: webhook, url: 'http://127.0.0.1:" +
                       std::to_string(nobody) + "/hook', timeout: 1s}\n" + "targets:\n" +
                       control_target(harness, "a", ", interval: 200ms"));
  auto host = harness.start();
  std::string metrics;
  const auto value = [&](const std::string& series) {
    return sample_value(metrics, series).value_or(-1);
  };
  ASSERT_TRUE(wait_until(
      [&] {
        metrics = http_request(port, "GET", "/metrics").body;
        return value("operator_notifications_sent_total") >= 1 &&
               value("operator_notification_retries_total") >= 1 &&
               value(R"(operator_notifications_queued{receiver="dead"})") >= 1;
      },
      30s))
      << metrics << host->err();
  // Delivered at once: never seen queued (no series), or seen and now 0.
  EXPECT_EQ(sample_value(metrics, R"(operator_notifications_queued{receiver="good"})").value_or(0),
            0)
      << metrics;
  EXPECT_EQ(value("operator_notifications_failed_total"), 0) << metrics;
  EXPECT_EQ(value("operator_pack_load_failures"), 1) << metrics;
  EXPECT_EQ(value(R"(operator_open_tickets{target="a",check="probe",severity="critical"})"), 1)
      << metrics;
  EXPECT_EQ(value("operator_database_readable"), 1) << metrics;
  EXPECT_GE(value(R"(operator_check_runs_total{target="a",check="probe",outcome="violated"})"), 1)
      << metrics;
}

}  // namespace
}  // namespace opr::test
