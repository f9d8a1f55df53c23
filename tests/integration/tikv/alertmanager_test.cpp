// tikv-sim's store goes Down -> operator's ticket -> the alert in a real
// Alertmanager with operator's labels and annotations -> delivered by
// Alertmanager to the test's webhook; the store heals -> the resolution
// arrives there too.
#include <gtest/gtest.h>

#include <mutex>

#include "alertmanager_server.h"
#include "loopback_server.h"
#include "tikv_cluster.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kStoreUpOnly =
    "store_up: {}\n      latency: {enabled: false}\n      disk_space: {enabled: false}";

// What Alertmanager's webhook integration posted: each alert's status
// ("firing" or "resolved") and labels.
class AlertmanagerWebhook {
 public:
  AlertmanagerWebhook() {
    server_.server().Post("/am", [this](const httplib::Request& req, httplib::Response& res) {
      const Json body = Json::parse(req.body, nullptr, false);
      std::lock_guard lock(mutex_);
      if (body.is_object()) {
        for (const Json& alert : body.value("alerts", Json::array())) alerts_.push_back(alert);
      }
      res.status = 200;
    });
    server_.start();
  }
  std::string url() const { return server_.url("/am"); }
  // The first alert posted with `status` for store `subject`.
  std::optional<Json> alert(const std::string& status, const std::string& subject) {
    std::lock_guard lock(mutex_);
    for (const Json& alert : alerts_) {
      if (alert.value("status", "") == status && alert["labels"].value("subject", "") == subject) {
        return alert;
      }
    }
    return std::nullopt;
  }

 private:
  std::mutex mutex_;
  std::vector<Json> alerts_;
  LoopbackServer server_;  // its handler uses the members above
};

TEST(TikvAlertmanager, ADownStoreFiresInAlertmanagerAndItsHealingResolvesIt) {
  AlertmanagerWebhook webhook;
  AlertmanagerServer alertmanager(webhook.url());
  ASSERT_TRUE(alertmanager.wait_ready(kPatience)) << "prometheus-alertmanager did not start";
  TikvCluster cluster(3, {}, false);
  TikvHost host(target_yaml(cluster, kStoreUpOnly));
  host.write_config(
      "notify:\n"
      "  - name: alertmanager\n"
      "    type: alertmanager\n"
      "    urls: ['" +
      alertmanager.url() +
      "']\n"
      "defaults: {interval: 1s, timeout: 2s}\n"
      "targets:\n"
      "  - name: t\n"
      "    labels: {team: storage}\n"
      "    annotations: {runbook_url: 'https://runbooks.example/tikv/store-down'}\n" +
      target_yaml(cluster, kStoreUpOnly));
  const auto monitor = host.start();
  ASSERT_TRUE(monitor->wait_for_output("Check complete", kPatience)) << monitor->err();

  cluster.sim().change_store(2, R"({"state_name": "Down"})");
  std::optional<Json> held;
  ASSERT_TRUE(wait_until(
      [&] {
        for (const Json& alert : alertmanager.alerts()) {
          if (alert["labels"].value("subject", "") == "2") held = alert;
        }
        return held.has_value();
      },
      kPatience, 100ms))
      << monitor->err();
  const Json& labels = (*held)["labels"];
  EXPECT_EQ(labels["alertname"], "store_up");
  EXPECT_EQ(labels["target"], "t");
  EXPECT_EQ(labels["severity"], "critical");
  EXPECT_EQ(labels["pack"], "tikv");
  EXPECT_EQ(labels["team"], "storage");
  const auto ticket = host.cli_ticket("store_up", "2");
  ASSERT_TRUE(ticket.has_value());
  EXPECT_EQ(labels["ticket_id"], std::to_string((*ticket)["id"].get<int64_t>()));
  EXPECT_EQ((*held)["annotations"]["summary"], "Store 2 at 10.0.1.12:20160 is Down");
  EXPECT_EQ((*held)["annotations"]["runbook_url"], "https://runbooks.example/tikv/store-down");
  EXPECT_EQ((*held)["status"]["state"], "active");

  // Alertmanager routes it to the webhook.
  ASSERT_TRUE(
      wait_until([&] { return webhook.alert("firing", "2").has_value(); }, kPatience, 100ms))
      << monitor->err();
  EXPECT_EQ(webhook.alert("firing", "2").value()["labels"]["team"], "storage");

  cluster.sim().change_store(2, R"({"state_name": "Up"})");
  ASSERT_TRUE(
      wait_until([&] { return webhook.alert("resolved", "2").has_value(); }, kPatience, 100ms))
      << monitor->err();
  const Json resolved = *webhook.alert("resolved", "2");
  const auto closed = host.cli_ticket("store_up", "2");
  ASSERT_TRUE(closed.has_value());
  EXPECT_EQ((*closed)["status"], "resolved");
  // Alertmanager was told when: the ticket's resolution time (compared to
  // the second, however Alertmanager writes fractions).
  EXPECT_EQ(resolved["endsAt"].get<std::string>().substr(0, 19),
            (*closed)["resolved_at"].get<std::string>().substr(0, 19))
      << resolved.dump();
}

}  // namespace
}  // namespace opr::test
