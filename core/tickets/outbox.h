// The notification outbox: what a ticket event owes each receiver. The rows
// are written in the transaction of the event itself, so an event is never
// committed without its notifications nor a notification without its event;
// a sender delivers them later, at least once.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/severity.h"
#include "common/time_format.h"

namespace opr::tickets {

// The ticket events receivers hear of. A flapping ticket speaks when its
// flapping starts and stops, not on every reopen and resolve in between.
enum class NotifyEvent {
  opened,
  severity_changed,
  acknowledged,
  diagnosed,
  resolved,
  flapping_started,
  flapping_stopped,
  // An open ticket nobody acknowledged, again after the receiver's
  // repeat_interval.
  repeated,
  // An acknowledgement given with an end (`tickets ack --expire`) ended:
  // the ticket is open again.
  acknowledgement_expired,
};

// "opened", "severity_changed", ...: the names in the database and payloads.
std::string_view to_string(NotifyEvent event);
std::optional<NotifyEvent> parse_notify_event(std::string_view text);

// silenced: held back by a silence (tickets/silence.h), never sent.
enum class DeliveryState { pending, delivered, failed, silenced };

std::string_view to_string(DeliveryState state);
std::optional<DeliveryState> parse_delivery_state(std::string_view text);

// What routing may look at: a receiver's matchers see the ticket's target,
// check and severity (and the labels the router itself keeps for them).
struct RouteQuery {
  std::string target;
  std::string check;
  Severity severity = Severity::warning;
  NotifyEvent event = NotifyEvent::opened;
  // A cause ticket's (check ":failed"): the checks it blocks, which a
  // receiver's checks match as they match those checks' own `:failed`
  // tickets, so routing by check still pages for PD being down.
  std::vector<std::string> blocks;
};

// The receivers an event goes to, and the labels and annotations the
// config gives its ticket; both are copied into every payload.
struct Route {
  std::vector<std::string> receivers;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::string pack;  // the target's pack; empty when the config has no such target
};

// Decides who hears of what. Called inside the store's write transaction:
// it must be quick and must not touch the store. Thread-safe.
class NotificationRouter {
 public:
  virtual ~NotificationRouter() = default;
  virtual Route route(const RouteQuery& query) const = 0;
  // Whether some receiver re-notifies tickets, how often `receiver` does
  // (0: never), and whether it does so until the ticket resolves (as
  // Alertmanager must hear of a firing alert) rather than only while it is
  // open (until someone acknowledges it) and not flapping.
  virtual bool repeats() const { return false; }
  // The receivers with a repeat interval, by name.
  virtual std::vector<std::string> repeating_receivers() const { return {}; }
  virtual std::chrono::milliseconds repeat_interval(const std::string& /*receiver*/) const {
    return std::chrono::milliseconds(0);
  }
  virtual bool repeats_until_resolved(const std::string& /*receiver*/) const { return false; }
};

// One row of the outbox.
struct Notification {
  int64_t id = 0;
  // Stable across retries and restarts (a UUID): receivers drop duplicates by it.
  std::string uid;
  std::string receiver;
  int64_t ticket_id = 0;
  NotifyEvent event = NotifyEvent::opened;
  // The JSON body receivers get, but for the ticket, which the sender adds
  // as it is when sent (tickets/ticket_json.h notification_body).
  std::string payload;
  DeliveryState state = DeliveryState::pending;
  int attempts = 0;
  TimePoint next_attempt_at;
  std::string last_error;  // empty when none
  TimePoint created_at;
  std::optional<TimePoint> delivered_at;
};

}  // namespace opr::tickets
