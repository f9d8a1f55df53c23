// /-/healthy, /-/ready and POST /-/reload as Prometheus and Alertmanager
// serve them: ready only while the database takes writes and every target
// completes its cycles (3 intervals at most), and a reload over HTTP that
// answers what SIGHUP would have logged.
#include <gtest/gtest.h>
#include <signal.h>
#include <soci/soci.h>

#include <chrono>
#include <string>

#include "observe_helpers.h"
#include "sim_process.h"
#include "tickets/connection.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kPatience = 30s;

// A monitor of one control target `a` (probe every 200 ms) serving HTTP.
class HealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = free_port();
    harness_.write_config(config(", interval: 200ms"));
    host_ = harness_.start();
    ASSERT_EQ(wait_for_ready_status(200).status, 200) << host_->err();
  }

  std::string config(const std::string& check_extra) const {
    return http_listen(port_) + "targets:\n" +
           control_target(harness_, "a", check_extra, "    isolation: in_process\n");
  }

  HttpResult get(const std::string& path) const { return http_request(port_, "GET", path); }

  // GET /-/ready until it answers `status` (or kPatience passed): the last answer.
  HttpResult wait_for_ready_status(int status) const {
    HttpResult ready;
    wait_until(
        [&] {
          ready = get("/-/ready");
          return ready.status == status;
        },
        kPatience);
    return ready;
  }

  HostHarness harness_;
  int port_ = 0;
  std::unique_ptr<Process> host_;
};

TEST_F(HealthTest, HealthyWhileTheProcessLives) {
  const HttpResult healthy = get("/-/healthy");
  EXPECT_EQ(healthy.status, 200);
  EXPECT_EQ(healthy.body, "operator is healthy.\n");
  EXPECT_EQ(get("/-/ready").body, "operator is ready.\n");
  EXPECT_EQ(get("/nothing-here").status, 404);
  // SIGTERM ends the listener with the monitor, cleanly.
  host_->signal(SIGTERM);
  EXPECT_EQ(host_->wait(30s), 0) << host_->err();
  EXPECT_EQ(get("/-/healthy").status, 0);
}

// The database is made unwritable the way that works for root and for
// others alike: another process holds SQLite's write lock (chmod does not
// stop root). The readiness probe cannot begin a write, and the engine's
// own writes wait; once the lock goes, both go on.
TEST_F(HealthTest, UnreadyWhileTheDatabaseTakesNoWritesAndReadyAfter) {
  auto other = tickets::connect(tickets::parse_connection(harness_.db_path().string()));
  *other << "BEGIN IMMEDIATE";
  const HttpResult ready = wait_for_ready_status(503);
  ASSERT_EQ(ready.status, 503) << host_->err();
  EXPECT_TRUE(contains(ready.body, "the ticket database is not writable")) << ready.body;
  EXPECT_TRUE(contains(ready.body, "locked")) << ready.body;
  EXPECT_EQ(get("/-/healthy").status, 200);  // alive all the same
  *other << "ROLLBACK";
  EXPECT_EQ(wait_for_ready_status(200).status, 200) << host_->err();
}

// A check stuck inside its pack completes no cycle: after 3 intervals the
// monitor is unready, naming the target; when the pack lets go, ready.
TEST_F(HealthTest, UnreadyWhileATargetCompletesNoCycleAndReadyAfter) {
  FileGate gate(harness_.file("gate"));
  write_file(harness_.file("a.cmd"), "block_until " + gate.path().string() + "\n");
  const HttpResult ready = wait_for_ready_status(503);
  ASSERT_EQ(ready.status, 503) << host_->err();
  EXPECT_TRUE(contains(ready.body, "target 'a' has not completed a cycle")) << ready.body;
  EXPECT_TRUE(contains(ready.body, "3 times its interval")) << ready.body;
  write_file(harness_.file("a.cmd"), "ok\n");
  gate.open();
  EXPECT_EQ(wait_for_ready_status(200).status, 200) << host_->err();
}

TEST_F(HealthTest, ReloadOverHttpTakesAGoodConfigAndRefusesABadOne) {
  // Good: the new interval shows in the metrics.
  harness_.write_config(config(", interval: 300ms"));
  HttpResult reload = http_request(port_, "POST", "/-/reload", "", 60s);
  EXPECT_EQ(reload.status, 200) << reload.body << host_->err();
  EXPECT_EQ(reload.body, "config reloaded.\n");
  std::string metrics = get("/metrics").body;
  EXPECT_EQ(sample_value(metrics, R"(operator_target_interval_seconds{target="a"})"), 0.3)
      << metrics;
  EXPECT_EQ(sample_value(metrics, R"(operator_config_reloads_total{result="success"})"), 1);
  EXPECT_EQ(sample_value(metrics, "operator_config_last_reload_successful"), 1);

  // Bad: 500 with the error where it is; the old config runs on.
  harness_.write_config("workers: many\n" + config(", interval: 200ms"));
  reload = http_request(port_, "POST", "/-/reload", "", 60s);
  EXPECT_EQ(reload.status, 500) << reload.body;
  EXPECT_TRUE(contains(reload.body, "config reload failed; the running config stays in effect: " +
                                        harness_.config_path().string() + ":3:10: "))
      << reload.body;
  metrics = get("/metrics").body;
  EXPECT_EQ(sample_value(metrics, R"(operator_config_reloads_total{result="failure"})"), 1);
  EXPECT_EQ(sample_value(metrics, "operator_config_last_reload_successful"), 0);
  const auto runs = [&] {
    return sample_value(get("/metrics").body,
                        R"(operator_check_runs_total{target="a",check="probe",outcome="ok"})")
        .value_or(0);
  };
  const double before = runs();
  EXPECT_TRUE(wait_until([&] { return runs() > before + 2; }, kPatience)) << host_->err();
  EXPECT_EQ(get("/-/ready").status, 200);
  EXPECT_TRUE(contains(host_->err(), "reload requested over HTTP")) << host_->err();

  // GET is not a reload.
  EXPECT_EQ(get("/-/reload").status, 404);
}

}  // namespace
}  // namespace opr::test
