#include "tickets/outbox_writer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <random>
#include <utility>

#include "common/json_output.h"
#include "tickets/ticket_json.h"
#include "tickets/ticket_rows.h"

namespace opr::tickets {

namespace {

nlohmann::ordered_json string_map_json(const std::map<std::string, std::string>& map) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  for (const auto& [key, value] : map) json[key] = value;
  return json;
}

// What the row keeps of the body receivers get (docs/notifications.md):
// all but the ticket, which the sender adds as it is when sent
// (notification_body). Small, so that a cycle that opens thousands of
// tickets writes little more.
std::string stored_payload(const std::string& uid, const std::string& receiver,
                           const OutboxEvent& event, const Route& route) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  json["notification_id"] = uid;
  json["receiver"] = receiver;
  json["pack"] = route.pack;
  nlohmann::ordered_json what = nlohmann::ordered_json::object();
  what["kind"] = std::string(to_string(event.kind));
  what["at"] = format_utc(event.at);
  what["actor"] = event.actor;
  what["note"] = event.note;
  json["event"] = std::move(what);
  json["labels"] = string_map_json(route.labels);
  json["annotations"] = string_map_json(route.annotations);
  return json_output(json);
}

}  // namespace

std::string silenced_note(int64_t silence_id) {
  return "silenced by silence " + std::to_string(silence_id);
}

std::string new_notification_uid() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const uint64_t high = (random() & ~uint64_t{0xF000}) | uint64_t{0x4000};           // version 4
  const uint64_t low = (random() & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);  // variant
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xFFFF), static_cast<unsigned>(high & 0xFFFF),
                static_cast<unsigned>(low >> 48),
                static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return text;
}

OutboxWriter::OutboxWriter(soci::session& sql, std::shared_ptr<const NotificationRouter> router)
    : sql_(sql), router_(std::move(router)) {}

RouteQuery OutboxWriter::query(const OutboxEvent& event) {
  RouteQuery query{event.target, event.check, event.severity, event.kind, {}};
  if (event.check != cause_check_name()) return query;
  // A cause ticket's snapshot lists the checks it blocks (cause_tickets.h).
  if (!reader_) reader_.emplace(sql_);
  const std::optional<Ticket> ticket = reader_->read(event.ticket_id);
  if (!ticket) return query;
  const auto snapshot = nlohmann::json::parse(ticket->metric_snapshot, nullptr, false);
  if (!snapshot.is_object() || !snapshot.contains("blocks")) return query;
  for (const auto& check : snapshot["blocks"]) {
    if (check.is_string()) query.blocks.push_back(check.get<std::string>());
  }
  return query;
}

int OutboxWriter::add(const OutboxEvent& event) {
  if (!router_) return 0;
  const Route route = router_->route(query(event));
  return write(event, route, route.receivers);
}

int OutboxWriter::add_for(const OutboxEvent& event, const std::string& receiver) {
  if (!router_) return 0;
  const Route route = router_->route(query(event));
  for (const std::string& name : route.receivers) {
    if (name == receiver) return write(event, route, {receiver});
  }
  return 0;
}

int OutboxWriter::write(const OutboxEvent& event, const Route& route,
                        const std::vector<std::string>& receivers) {
  if (receivers.empty()) return 0;
  auto cached = silences_.find(event.target);
  if (cached == silences_.end()) {
    cached = silences_.emplace(event.target, read_silences(sql_, event.at, event.target)).first;
  }
  const Silence* silence = nullptr;
  if (!cached->second.empty()) {
    // Only a target with silences needs the ticket's subject.
    if (!reader_) reader_.emplace(sql_);
    const std::optional<Ticket> ticket = reader_->read(event.ticket_id);
    if (!ticket) return 0;
    silence =
        covering_silence(cached->second, ticket->target, ticket->check, ticket->subject, event.at);
  }
  // The rows stay, marked, so that `tickets show` tells what was held back.
  Insert& b = insert_;
  b.state = std::string(to_string(silence ? DeliveryState::silenced : DeliveryState::pending));
  b.note = silence ? silenced_note(silence->id) : "";
  b.note_indicator = silence ? soci::i_ok : soci::i_null;
  b.ticket_id = event.ticket_id;
  b.event = std::string(to_string(event.kind));
  b.at = to_ms(event.at);
  if (!b.statement) {
    b.statement.emplace(
        (sql_.prepare << "INSERT INTO notifications (uid, receiver, ticket_id, event, payload,"
                         " state, attempts, next_attempt_at, last_error, created_at)"
                         " VALUES (:uid, :receiver, :ticket, :event, :payload, :state, 0,"
                         " :next, :note, :created)",
         soci::use(b.uid), soci::use(b.receiver), soci::use(b.ticket_id), soci::use(b.event),
         soci::use(b.payload), soci::use(b.state), soci::use(b.at),
         soci::use(b.note, b.note_indicator), soci::use(b.at)));
  }
  for (const std::string& receiver : receivers) {
    b.uid = new_notification_uid();
    b.receiver = receiver;
    b.payload = stored_payload(b.uid, receiver, event, route);
    b.statement->execute(true);
  }
  return static_cast<int>(receivers.size());
}

}  // namespace opr::tickets
