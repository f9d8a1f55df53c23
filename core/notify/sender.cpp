#include "notify/sender.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "common/duration.h"
#include "notify/backoff.h"
#include "tickets/ticket_json.h"
#include "tickets/ticket_store.h"

namespace opr::notify {

namespace {

// Notifications read from the database at a time.
constexpr int kBatch = 100;

}  // namespace

Sender::Sender(tickets::TicketStore& store, std::shared_ptr<const http::Client> http,
               std::chrono::milliseconds poll, Lane lane)
    : store_(store),
      http_(std::move(http)),
      poll_(poll),
      lane_(lane),
      receivers_(std::make_shared<const Receivers>()) {}

Sender::~Sender() { stop(); }

void Sender::configure(const std::vector<config::ReceiverConfig>& receivers) {
  auto built = std::make_shared<Receivers>();
  bool lane_receivers = false;
  for (const auto& receiver : receivers) {
    built->emplace(receiver.outbox_name(),
                   Configured{receiver, make_receiver(receiver, http_, store_)});
    lane_receivers |= (receiver.type == config::ReceiverType::diagnose) == (lane_ == Lane::hooks);
  }
  {
    std::lock_guard lock(mutex_);
    receivers_ = std::move(built);
    has_lane_receivers_ = lane_receivers;
    woken_ = true;  // a pass with the new receivers
  }
  wake_.notify_all();
}

void Sender::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void Sender::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Sender::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

bool Sender::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

SenderStats Sender::totals() const {
  std::lock_guard lock(mutex_);
  return totals_;
}

void Sender::set_gate(std::function<bool()> may_send) { gate_ = std::move(may_send); }

void Sender::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      if (!gate_ || gate_()) send_due(now_ms());
    } catch (const std::exception& e) {
      spdlog::error("notifications: {}", e.what());
    }
    lock.lock();
    const auto woken = [this] { return stopping_ || woken_; };
    if (has_lane_receivers_) {
      wake_.wait_for(lock, poll_, woken);
    } else {
      wake_.wait(lock, woken);
    }
    woken_ = false;
  }
}

SenderStats Sender::send_due(TimePoint now) {
  std::shared_ptr<const Receivers> receivers;
  {
    std::lock_guard lock(mutex_);
    receivers = receivers_;
  }
  SenderStats pass;
  bool last = false;
  while (!last) {
    const auto due = store_.due_notifications(now, kBatch, lane_ == Lane::hooks);
    // Whatever fails is due later than `now`, and what is delivered is no
    // longer pending: a short batch is the last.
    last = due.size() < static_cast<size_t>(kBatch);
    for (const auto& notification : due) {
      if (stopping()) {
        last = true;
        break;
      }
      attempt(notification, *receivers, pass);
    }
  }
  std::lock_guard lock(mutex_);
  totals_.delivered += pass.delivered;
  totals_.retried += pass.retried;
  totals_.failed += pass.failed;
  totals_.silenced += pass.silenced;
  return pass;
}

void Sender::attempt(const tickets::Notification& notification, const Receivers& receivers,
                     SenderStats& pass) {
  // Read once: the body is made of it, and a silence set after the event
  // was written holds back what is still pending as well.
  const std::optional<tickets::Ticket> ticket = store_.get(notification.ticket_id);
  if (const auto silence = ticket ? store_.silence_of(*ticket, now_ms()) : std::nullopt) {
    store_.record_silenced(notification.id, *silence);
    ++pass.silenced;
    return;
  }
  const auto found = receivers.find(notification.receiver);
  Delivery delivery;
  config::RetryConfig retry;
  if (found == receivers.end()) {
    delivery.error = "receiver '" + notification.receiver + "' is no longer in the config";
    retry.give_up_after = std::chrono::milliseconds(0);
  } else if (!ticket) {
    delivery.error = "ticket " + std::to_string(notification.ticket_id) + " no longer exists";
    retry.give_up_after = std::chrono::milliseconds(0);
  } else {
    tickets::Notification sent = notification;
    sent.payload = tickets::notification_body(notification, *ticket);
    delivery = found->second.receiver->deliver(sent);
    retry = found->second.config.retry;
  }
  const TimePoint at = now_ms();
  if (delivery.ok) {
    store_.record_delivered(notification.id, at);
    ++pass.delivered;
    return;
  }
  std::optional<TimePoint> next;
  {
    std::lock_guard lock(mutex_);
    const double jitter = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
    next = next_attempt(retry, notification.attempts + 1, notification.created_at, at, jitter);
  }
  store_.record_failed_attempt(notification.id, delivery.error, next);
  if (next) {
    ++pass.retried;
    spdlog::info(
        "notification {} of ticket {} to '{}' not delivered (attempt {}): {}; next try in {}",
        notification.uid, notification.ticket_id, notification.receiver, notification.attempts + 1,
        delivery.error, format_duration(*next - at));
  } else {
    ++pass.failed;
    spdlog::warn("notification {} of ticket {} to '{}' failed for good after {} attempt(s): {}",
                 notification.uid, notification.ticket_id, notification.receiver,
                 notification.attempts + 1, delivery.error);
  }
}

}  // namespace opr::notify
