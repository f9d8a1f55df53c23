#include "tickets/ticket_json.h"

#include "common/json_output.h"
#include "tickets/ticket_flags.h"

#include <optional>
#include <string>

namespace opr::tickets {

namespace {

// Stored snapshots are JSON objects; anything else is shown, not lost.
nlohmann::ordered_json utc_or_null(const std::optional<TimePoint>& time) {
  return time ? nlohmann::ordered_json(format_utc(*time)) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}

nlohmann::ordered_json snapshot_json(const std::string& text) {
  nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(text, nullptr, false);
  if (parsed.is_object()) return parsed;
  nlohmann::ordered_json wrapped = nlohmann::ordered_json::object();
  wrapped["value"] = parsed.is_discarded() ? nlohmann::ordered_json(text) : parsed;
  return wrapped;
}

}  // namespace

nlohmann::ordered_json ticket_json(const Ticket& ticket) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  json["id"] = ticket.id;
  json["violation_key"] = ticket.violation_key;
  json["target"] = ticket.target;
  json["check"] = ticket.check;
  json["subject"] = ticket.subject;
  json["status"] = std::string(to_string(ticket.status));
  json["held"] = ticket.held;
  json["flapping"] = ticket.flapping;
  json["severity"] = std::string(to_string(ticket.severity));
  json["message"] = ticket.message;
  json["batch_key"] = ticket.batch_key;
  json["occurrence_count"] = ticket.occurrence_count;
  json["first_seen_at"] = format_utc(ticket.first_seen_at);
  json["last_seen_at"] = format_utc(ticket.last_seen_at);
  json["resolved_at"] = utc_or_null(ticket.resolved_at);
  json["diagnosis"] = text_or_null(ticket.diagnosis);
  json["metric_snapshot"] = snapshot_json(ticket.metric_snapshot);
  json["created_at"] = format_utc(ticket.created_at);
  json["updated_at"] = format_utc(ticket.updated_at);
  json["unknown"] = ticket.unknown;
  json["unknown_since"] = utc_or_null(ticket.unknown_since);
  json["unknown_at"] = utc_or_null(ticket.unknown_at);
  json["unknown_reason"] = text_or_null(ticket.unknown_reason);
  json["acknowledged_until"] = utc_or_null(ticket.acknowledged_until);
  if (ticket.silenced_by) {
    json["silenced_by"] = *ticket.silenced_by;
  } else {
    json["silenced_by"] = nullptr;
  }
  if (ticket.blocked_by) {
    json["blocked_by"] = *ticket.blocked_by;
    json["blocked_cause"] = ticket.blocked_cause;
  } else {
    json["blocked_by"] = nullptr;
    json["blocked_cause"] = nullptr;
  }
  json["flags"] = ticket_flags(ticket);
  return json;
}

nlohmann::ordered_json ticket_json(const Ticket& ticket, const std::vector<TicketEvent>& events) {
  nlohmann::ordered_json json = ticket_json(ticket);
  json["events"] = events_json(events);
  return json;
}

nlohmann::ordered_json events_json(const std::vector<TicketEvent>& events) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& event : events) {
    nlohmann::ordered_json item = nlohmann::ordered_json::object();
    item["at"] = format_utc(event.at);
    item["actor"] = event.actor;
    item["event"] = event_name(event);
    // A flag or action is no change of status: it says the status it left
    // as it was, never from -> to.
    if (is_status_change(event)) {
      item["from"] = event.from_status;
      item["to"] = event.to_status;
    } else {
      item["status"] = event.from_status;
    }
    item["note"] = event.note;
    list.push_back(std::move(item));
  }
  return list;
}

nlohmann::ordered_json notifications_json(const std::vector<Notification>& notifications) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& n : notifications) {
    nlohmann::ordered_json item = nlohmann::ordered_json::object();
    item["id"] = n.uid;
    item["receiver"] = n.receiver;
    item["event"] = std::string(to_string(n.event));
    item["state"] = std::string(to_string(n.state));
    item["attempts"] = n.attempts;
    item["next_attempt_at"] = format_utc(n.next_attempt_at);
    item["last_error"] = text_or_null(n.last_error);
    item["created_at"] = format_utc(n.created_at);
    item["delivered_at"] = utc_or_null(n.delivered_at);
    list.push_back(std::move(item));
  }
  return list;
}

std::string notification_body(const Notification& notification, const Ticket& ticket) {
  const nlohmann::ordered_json stored =
      nlohmann::ordered_json::parse(notification.payload, nullptr, false);
  nlohmann::ordered_json body = nlohmann::ordered_json::object();
  bool placed = false;
  if (stored.is_object()) {
    for (const auto& [key, value] : stored.items()) {
      if (key == "ticket") continue;
      body[key] = value;
      if (key == "event") {
        body["ticket"] = ticket_json(ticket);
        placed = true;
      }
    }
  }
  if (!placed) body["ticket"] = ticket_json(ticket);
  return json_output(body);
}

nlohmann::ordered_json silence_json(const Silence& silence) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  json["id"] = silence.id;
  json["target"] = silence.target;
  json["check"] = silence.check ? nlohmann::ordered_json(*silence.check) : nullptr;
  json["subject"] = silence.subject ? nlohmann::ordered_json(*silence.subject) : nullptr;
  json["starts_at"] = format_utc(silence.starts_at);
  json["ends_at"] = format_utc(silence.ends_at);
  json["author"] = silence.author;
  json["comment"] = silence.comment;
  json["created_at"] = format_utc(silence.created_at);
  json["expired_by"] = text_or_null(silence.expired_by);
  return json;
}

}  // namespace opr::tickets
