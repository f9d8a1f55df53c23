// A ticket the monitor opens reaches a webhook the test serves (the
// receiving end is the test's to run), at least once and, across a kill -9
// before delivery, exactly once per notification id.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <map>
#include <mutex>

#include "host_harness.h"
#include "loopback_server.h"
#include "tickets/ticket_store.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

class WebhookDelivery : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.server().Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      const int status = status_.load();
      res.status = status;
      std::lock_guard lock(mutex_);
      const Json body = Json::parse(req.body);
      if (status == 200) ++delivered_[body["notification_id"].get<std::string>()];
      bodies_.push_back(body);
    });
    server_.start();
    write_file(harness_.file("cmd"), "violate s1 critical disk full\n");
    harness_.write_config(
        "notify:\n"
        "  - name: hook\n"
        "    type: webhook\n"
        "    url: '" +
        server_.url("/hook") +
        "'\n"
        "    retry: {initial_backoff: 200ms, max_backoff: 1s}\n"
        "targets:\n"
        "  - name: a\n"
        "    pack: control\n"
        "    labels: {team: storage}\n"
        "    checks:\n"
        "      probe: {interval: 100ms, command_file: " +
        harness_.file("cmd").string() + "}\n");
  }

  std::vector<Json> bodies() {
    std::lock_guard lock(mutex_);
    return bodies_;
  }
  std::map<std::string, int> delivered() {
    std::lock_guard lock(mutex_);
    return delivered_;
  }
  std::vector<tickets::Notification> notifications() {
    const auto ticket = harness_.open_ticket("a/probe/s1");
    if (!ticket) return {};
    return tickets::TicketStore::open(harness_.db_path().string())->notifications(ticket->id);
  }

  HostHarness harness_;
  std::mutex mutex_;
  std::vector<Json> bodies_;
  std::map<std::string, int> delivered_;  // 2xx answers per notification id
  std::atomic<int> status_{200};
  LoopbackServer server_;  // its handler uses the members above
};

TEST_F(WebhookDelivery, TheMonitorDeliversAnOpenedTicketWithItsLabels) {
  auto host = harness_.start();
  ASSERT_TRUE(wait_until([&] { return delivered().size() == 1; }, 30s)) << host->err();
  const Json body = bodies().at(0);
  EXPECT_EQ(body["event"]["kind"], "opened");
  EXPECT_EQ(body["ticket"]["violation_key"], "a/probe/s1");
  EXPECT_EQ(body["ticket"]["severity"], "critical");
  EXPECT_EQ(body["labels"]["team"], "storage");
  ASSERT_TRUE(wait_until(
      [&] {
        const auto rows = notifications();
        return rows.size() == 1 && rows[0].state == tickets::DeliveryState::delivered;
      },
      30s));
  const auto shown = harness_.run({"tickets", "show", "1"});
  EXPECT_NE(shown.out.find("  hook      opened  delivered  1 "), std::string::npos) << shown.out;

  // A person's change, made by the command line with the config, reaches
  // the receiver through the running monitor.
  const auto ack = harness_.run({"tickets", "ack", "1", "--note", "on it"});
  ASSERT_EQ(ack.exit_code, 0) << ack.err;
  ASSERT_TRUE(wait_until([&] { return delivered().size() == 2; }, 30s)) << host->err();
  const Json acknowledged = bodies().back();
  EXPECT_EQ(acknowledged["event"]["kind"], "acknowledged");
  EXPECT_EQ(acknowledged["event"]["note"], "on it");
  EXPECT_EQ(acknowledged["ticket"]["status"], "acknowledged");
  EXPECT_EQ(acknowledged["labels"]["team"], "storage");
}

TEST_F(WebhookDelivery, OnceMakesOneAttemptBeforeItExits) {
  const auto run = harness_.run_once();
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(delivered().size(), 1u) << run.err;
}

TEST_F(WebhookDelivery, AKillBeforeDeliveryLosesNothingAndDeliversEachIdOnce) {
  status_ = 503;  // the receiver refuses until the monitor is killed
  auto first = harness_.start();
  ASSERT_TRUE(wait_until(
      [&] {
        const auto rows = notifications();
        return rows.size() == 1 && rows[0].attempts >= 1;
      },
      30s))
      << first->err();
  first->signal(SIGKILL);
  first->wait(20s);
  EXPECT_TRUE(delivered().empty());

  status_ = 200;
  auto second = harness_.start();
  ASSERT_TRUE(wait_until(
      [&] {
        const auto rows = notifications();
        return !rows.empty() && rows[0].state == tickets::DeliveryState::delivered;
      },
      30s))
      << second->err();
  second->signal(SIGTERM);
  EXPECT_EQ(second->wait(20s), 0) << second->err();
  const auto rows = notifications();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(delivered(), (std::map<std::string, int>{{rows[0].uid, 1}}));
}

}  // namespace
}  // namespace opr::test
