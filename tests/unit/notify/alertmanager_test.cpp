// The Alertmanager receiver: alerts from payloads, and delivery to an HA
// pair. The pair are stand-ins the test serves, so that one can fail while
// the other takes the alert; tests/integration/tikv/alertmanager_test.cpp
// delivers to a real Alertmanager. The alertmanager.yml that
// docs/notifications.md shows is checked here by amtool.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "http/client.h"
#include "loopback_server.h"
#include "notify/alertmanager.h"

namespace opr::notify {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const TimePoint kNow = *parse_utc("2026-11-23T13:00:00.000Z");

std::string payload(const std::string& kind, const json& resolved_at = nullptr) {
  json body = {
      {"notification_id", "6f1d0c1e-0000-4000-8000-000000000001"},
      {"receiver", "am"},
      {"pack", "tikv"},
      {"event", {{"kind", kind}, {"at", "2026-11-23T12:59:00.000Z"}, {"actor", "monitor"}}},
      {"ticket",
       {{"id", 7},
        {"violation_key", "prod/store_up/2"},
        {"target", "prod"},
        {"check", "store_up"},
        {"subject", "2"},
        {"status", resolved_at.is_null() ? "open" : "resolved"},
        {"severity", "critical"},
        {"message", "Store 2 is Down"},
        {"first_seen_at", "2026-11-23T12:50:00.000Z"},
        {"resolved_at", resolved_at},
        {"diagnosis", nullptr}}},
      {"labels", {{"team", "storage"}}},
      {"annotations", {{"runbook_url", "https://runbooks/store_up"}}}};
  return body.dump();
}

TEST(AlertmanagerAlerts, AFiringTicketIsOneAlertWithOperatorsLabelsAndTheUsers) {
  const auto alerts = alertmanager_alerts(payload("opened"), kNow, 1min);
  ASSERT_TRUE(alerts.has_value());
  ASSERT_EQ(alerts->size(), 1u);
  const json& alert = (*alerts)[0];
  EXPECT_EQ(alert["labels"], json({{"alertname", "store_up"},
                                   {"target", "prod"},
                                   {"subject", "2"},
                                   {"severity", "critical"},
                                   {"pack", "tikv"},
                                   {"ticket_id", "7"},
                                   {"team", "storage"}}));
  EXPECT_EQ(alert["annotations"]["summary"], "Store 2 is Down");
  EXPECT_EQ(alert["annotations"]["description"], "ticket 7 (prod/store_up/2) is open");
  EXPECT_EQ(alert["annotations"]["runbook_url"], "https://runbooks/store_up");
  EXPECT_EQ(alert["startsAt"], "2026-11-23T12:50:00.000Z");
  EXPECT_EQ(alert["endsAt"], "2026-11-23T13:04:00.000Z");  // 4 resend intervals ahead
}

TEST(AlertmanagerAlerts, AResolutionEndsTheAlertWhenTheTicketResolved) {
  const auto alerts =
      alertmanager_alerts(payload("resolved", "2026-11-23T12:58:30.000Z"), kNow, 1min);
  ASSERT_TRUE(alerts.has_value());
  EXPECT_EQ((*alerts)[0]["endsAt"], "2026-11-23T12:58:30.000Z");
}

TEST(AlertmanagerAlerts, FlappingThatStoppedEndsTheAlertThen) {
  const auto alerts =
      alertmanager_alerts(payload("flapping_stopped", "2026-11-23T11:00:00.000Z"), kNow, 1min);
  ASSERT_TRUE(alerts.has_value());
  EXPECT_EQ((*alerts)[0]["endsAt"], "2026-11-23T12:59:00.000Z");
}

TEST(AlertmanagerAlerts, AnOpenTicketWhoseFlappingStoppedFiresOn) {
  const auto alerts = alertmanager_alerts(payload("flapping_stopped"), kNow, 1min);
  ASSERT_TRUE(alerts.has_value());
  EXPECT_EQ((*alerts)[0]["endsAt"], "2026-11-23T13:04:00.000Z");
}

TEST(AlertmanagerAlerts, APayloadThatIsNotOperatorsJsonIsRefused) {
  EXPECT_FALSE(alertmanager_alerts("not json", kNow, 1min).has_value());
  EXPECT_FALSE(alertmanager_alerts("[]", kNow, 1min).has_value());
}

// Two Alertmanagers of an HA pair; the second can be made to fail.
class AlertmanagerPair : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 2; ++i) {
      servers_[i].server().Post("/api/v2/alerts",
                                [this, i](const httplib::Request& req, httplib::Response& res) {
                                  std::lock_guard lock(mutex_);
                                  bodies_[i].push_back(req.body);
                                  res.status = i == 1 ? second_status_.load() : 200;
                                });
      servers_[i].start();
    }
  }
  config::ReceiverConfig receiver() {
    config::ReceiverConfig config;
    config.name = "am";
    config.type = config::ReceiverType::alertmanager;
    config.urls = {servers_[0].url(""), servers_[1].url("/")};
    return config;
  }
  tickets::Notification notification() {
    tickets::Notification n;
    n.payload = payload("opened");
    return n;
  }

  std::mutex mutex_;
  std::vector<std::string> bodies_[2];
  std::atomic<int> second_status_{200};
  opr::test::LoopbackServer servers_[2];  // their handlers use the members above
};

TEST_F(AlertmanagerPair, EveryAlertmanagerGetsTheAlert) {
  AlertmanagerReceiver am(receiver(), std::make_shared<http::Client>());
  const Delivery delivery = am.deliver(notification());
  EXPECT_TRUE(delivery.ok) << delivery.error;
  std::lock_guard lock(mutex_);
  ASSERT_EQ(bodies_[0].size(), 1u);
  ASSERT_EQ(bodies_[1].size(), 1u);
  EXPECT_EQ(bodies_[0][0], bodies_[1][0]);
  EXPECT_EQ(json::parse(bodies_[0][0])[0]["labels"]["alertname"], "store_up");
}

TEST_F(AlertmanagerPair, OneFailingAlertmanagerFailsTheAttemptAndIsNamed) {
  second_status_ = 500;
  AlertmanagerReceiver am(receiver(), std::make_shared<http::Client>());
  const Delivery delivery = am.deliver(notification());
  EXPECT_FALSE(delivery.ok);
  EXPECT_EQ(delivery.error, servers_[1].url("/") + ": answered HTTP 500");
}

// The example in docs/notifications.md is a config Alertmanager accepts
// (amtool comes with Debian's prometheus-alertmanager, which scripts/setup
// installs), routing on operator's labels.
TEST(AlertmanagerDocs, TheExampleConfigIsOneAlertmanagerAccepts) {
  const std::string doc = opr::test::read_file(opr::test::source_dir() / "docs/notifications.md");
  const size_t start = doc.find("```yaml\n# alertmanager.yml\n");
  ASSERT_NE(start, std::string::npos) << "the example is gone from docs/notifications.md";
  const size_t body = doc.find('\n', start) + 1;
  const std::string yaml = doc.substr(body, doc.find("```", body) - body);
  EXPECT_NE(yaml.find("severity=\"critical\""), std::string::npos) << "routes on operator's labels";
  opr::test::TempDir dir;
  opr::test::write_file(dir / "alertmanager.yml", yaml);
  const auto checked = opr::test::run_command(
      {"/usr/bin/amtool", "check-config", (dir / "alertmanager.yml").string()});
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
}

}  // namespace
}  // namespace opr::notify
