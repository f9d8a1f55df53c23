// The sender and the webhook receiver, against a webhook the test serves
// (the receiving end is the test's to run: there is no stand-in here), and
// a real ticket database.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <map>
#include <mutex>

#include "http/client.h"
#include "loopback_server.h"
#include "notify/router.h"
#include "notify/sender.h"
#include "one_ticket.h"
#include "test_support.h"
#include "tickets/ticket_json.h"
#include "tickets/ticket_store.h"

namespace opr::notify {
namespace {

using namespace std::chrono_literals;
using opr::test::TempDir;

// What the test's webhook received: the body, and the headers the sender
// sets ("" when absent).
struct Received {
  std::string body;
  std::map<std::string, std::string> headers;
};

const std::vector<std::string> kHeaders = {"Content-Type", "X-Operator-Notification-Id",
                                           "X-Operator-Signature", "Authorization", "X-Team"};

class SenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.server().Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      Received got{req.body, {}};
      for (const auto& name : kHeaders) got.headers[name] = req.get_header_value(name);
      received_.push_back(got);
      res.status = status_.load();
    });
    server_.start();
  }

  config::ReceiverConfig webhook() {
    config::ReceiverConfig receiver;
    receiver.name = "hook";
    receiver.type = config::ReceiverType::webhook;
    receiver.urls = {server_.url("/hook")};
    receiver.timeout = 10s;
    return receiver;
  }

  // A store whose router sends every event to `receiver`, and a ticket
  // opened now (one notification due).
  void open_ticket(const config::ReceiverConfig& receiver) {
    auto opened = test::open_one_ticket(dir_ / "tickets.db", {receiver});
    store_ = std::move(opened.store);
    ticket_id_ = opened.ticket_id;
    sender_ = std::make_unique<Sender>(*store_, std::make_shared<http::Client>(), 50ms);
    sender_->configure({receiver});
  }

  tickets::Notification notification() { return store_->notifications(ticket_id_).at(0); }

  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

  TempDir dir_;
  std::mutex mutex_;
  std::vector<Received> received_;
  std::atomic<int> status_{200};
  std::unique_ptr<tickets::TicketStore> store_;
  std::unique_ptr<Sender> sender_;  // uses store_: declared after it
  int64_t ticket_id_ = 0;
  opr::test::LoopbackServer server_;  // its handler uses the members above
};

TEST_F(SenderTest, TheWebhookGetsThePayloadWithItsIdAndTheNotificationIsDelivered) {
  open_ticket(webhook());
  const tickets::Notification pending = notification();
  const SenderStats pass = sender_->send_due(now_ms());
  EXPECT_EQ(pass.delivered, 1u);
  ASSERT_EQ(received().size(), 1u);
  const Received got = received()[0];
  EXPECT_EQ(got.body, tickets::notification_body(pending, *store_->get(ticket_id_)));
  EXPECT_EQ(nlohmann::json::parse(got.body)["ticket"]["message"], "Store 2 is Down");
  EXPECT_EQ(got.headers.at("Content-Type"), "application/json");
  EXPECT_EQ(got.headers.at("X-Operator-Notification-Id"), pending.uid);
  EXPECT_EQ(got.headers.at("X-Operator-Signature"), "");
  EXPECT_EQ(got.headers.at("Authorization"), "");

  const tickets::Notification done = notification();
  EXPECT_EQ(done.state, tickets::DeliveryState::delivered);
  EXPECT_EQ(done.attempts, 1);
  EXPECT_TRUE(done.delivered_at.has_value());
  EXPECT_EQ(sender_->send_due(now_ms()).delivered, 0u);  // once
  EXPECT_EQ(received().size(), 1u);
}

TEST_F(SenderTest, TheSignatureVerifiesWithOpensslAndTheBearerTokenIsSent) {
  opr::test::write_file(dir_ / "secret", "s3cret\n");
  opr::test::write_file(dir_ / "token", "t0ken\n");
  auto receiver = webhook();
  receiver.secret_file = dir_ / "secret";
  receiver.bearer_token_file = dir_ / "token";
  receiver.headers = {{"X-Team", "storage"}};
  open_ticket(receiver);
  sender_->send_due(now_ms());
  ASSERT_EQ(received().size(), 1u);
  const Received got = received()[0];
  EXPECT_EQ(got.headers.at("Authorization"), "Bearer t0ken");
  EXPECT_EQ(got.headers.at("X-Team"), "storage");
  // As docs/notifications.md tells a receiver to check it.
  opr::test::write_file(dir_ / "body", got.body);
  const auto openssl = opr::test::run_command(
      {"/bin/sh", "-c", "openssl dgst -sha256 -hmac s3cret -r \"$0\" | cut -d' ' -f1",
       (dir_ / "body").string()});
  ASSERT_EQ(openssl.exit_code, 0) << openssl.err;
  EXPECT_EQ(got.headers.at("X-Operator-Signature"),
            "sha256=" + openssl.out.substr(0, openssl.out.find('\n')));
}

TEST_F(SenderTest, AReceiverAnswering500IsRetriedWithBackoffUntilItTakesIt) {
  status_ = 500;
  auto receiver = webhook();
  receiver.retry.initial_backoff = 1s;
  open_ticket(receiver);
  const TimePoint start = now_ms();
  EXPECT_EQ(sender_->send_due(start).retried, 1u);
  tickets::Notification waiting = notification();
  EXPECT_EQ(waiting.state, tickets::DeliveryState::pending);
  EXPECT_EQ(waiting.attempts, 1);
  EXPECT_EQ(waiting.last_error, "answered HTTP 500");
  EXPECT_GE(waiting.next_attempt_at, start + 500ms);
  EXPECT_EQ(sender_->send_due(start).retried, 0u);  // not due yet

  status_ = 200;
  EXPECT_EQ(sender_->send_due(waiting.next_attempt_at).delivered, 1u);
  EXPECT_EQ(notification().state, tickets::DeliveryState::delivered);
  EXPECT_EQ(notification().attempts, 2);
  ASSERT_EQ(received().size(), 2u);
  EXPECT_EQ(received()[0].body, received()[1].body);  // the same id both times
}

TEST_F(SenderTest, AReceiverThatIsDownIsRetriedToo) {
  auto receiver = webhook();
  server_.stop();
  open_ticket(receiver);
  EXPECT_EQ(sender_->send_due(now_ms()).retried, 1u);
  EXPECT_EQ(notification().state, tickets::DeliveryState::pending);
  EXPECT_FALSE(notification().last_error.empty());
}

TEST_F(SenderTest, ANotificationIsGivenUpAfterTheConfiguredAgeAndSaysWhy) {
  status_ = 503;
  auto receiver = webhook();
  receiver.retry.give_up_after = 1ms;
  open_ticket(receiver);
  ASSERT_TRUE(
      opr::test::wait_until([&] { return now_ms() > notification().created_at + 1ms; }, 10s));
  EXPECT_EQ(sender_->send_due(now_ms()).failed, 1u);
  const tickets::Notification failed = notification();
  EXPECT_EQ(failed.state, tickets::DeliveryState::failed);
  EXPECT_EQ(failed.attempts, 1);
  EXPECT_EQ(failed.last_error, "answered HTTP 503");
  EXPECT_EQ(sender_->send_due(now_ms() + 1h).failed, 0u);
  EXPECT_EQ(sender_->totals().failed, 1u);
}

TEST_F(SenderTest, ANotificationOfAReceiverNoLongerConfiguredFails) {
  open_ticket(webhook());
  sender_->configure({});
  EXPECT_EQ(sender_->send_due(now_ms()).failed, 1u);
  EXPECT_EQ(notification().last_error, "receiver 'hook' is no longer in the config");
  EXPECT_TRUE(received().empty());
}

TEST_F(SenderTest, TheSenderThreadDeliversWhatTheOutboxHolds) {
  open_ticket(webhook());
  sender_->start();
  EXPECT_TRUE(opr::test::wait_until(
      [&] { return notification().state == tickets::DeliveryState::delivered; }, 30s));
  sender_->stop();
  EXPECT_EQ(received().size(), 1u);
}

// Several hosts: only the one holding the chores' lease sends, or a page
// would go out once per host.
TEST_F(SenderTest, AGatedSenderDeliversOnlyWhileItsGateIsOpen) {
  open_ticket(webhook());
  std::atomic<bool> open{false};
  std::atomic<int> asked{0};
  sender_->set_gate([&] {
    ++asked;
    return open.load();
  });
  sender_->start();
  ASSERT_TRUE(opr::test::wait_until([&] { return asked.load() >= 3; }, 30s));
  EXPECT_EQ(notification().state, tickets::DeliveryState::pending);
  EXPECT_TRUE(received().empty());
  open = true;  // this host took the chores over
  EXPECT_TRUE(opr::test::wait_until(
      [&] { return notification().state == tickets::DeliveryState::delivered; }, 30s));
  sender_->stop();
  EXPECT_EQ(received().size(), 1u);
}

TEST_F(SenderTest, ANewNotificationWakesTheSenderBeforeItsPoll) {
  open_ticket(webhook());
  Sender sleepy(*store_, std::make_shared<http::Client>(), 1h);
  sleepy.configure({webhook()});
  store_->set_outbox_listener([&] { sleepy.wake(); });
  sleepy.start();  // its first pass delivers what is there
  ASSERT_TRUE(opr::test::wait_until([&] { return received().size() == 1; }, 30s));
  store_->acknowledge(ticket_id_, "alice", "on it");
  EXPECT_TRUE(opr::test::wait_until([&] { return received().size() == 2; }, 30s))
      << "only a wake can deliver it: the next poll is an hour away";
  store_->set_outbox_listener(nullptr);
  sleepy.stop();
}

}  // namespace
}  // namespace opr::notify
