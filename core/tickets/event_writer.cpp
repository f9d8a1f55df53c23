#include "tickets/event_writer.h"

#include <utility>

namespace opr::tickets {

const char* const kIsReopenEvent = "e.from_status = 'resolved' AND e.to_status = 'open'";

EventWriter::EventWriter(soci::session& sql, std::string actor, long long at) : sql_(sql) {
  bound_.actor = std::move(actor);
  bound_.at = at;
}

void EventWriter::add(long long ticket_id, std::string_view from, std::string_view to,
                      const std::string& note) {
  Binding& b = bound_;
  b.ticket_id = ticket_id;
  b.from = from;
  b.to = to;
  b.note = note;
  if (!insert_) {
    insert_.emplace(
        (sql_.prepare << "INSERT INTO ticket_events (ticket_id, at, actor, from_status, to_status,"
                         " note) VALUES (:ticket, :at, :actor, :from, :to, :note)",
         soci::use(b.ticket_id), soci::use(b.at), soci::use(b.actor), soci::use(b.from),
         soci::use(b.to), soci::use(b.note)));
  }
  insert_->execute(true);
}

void write_event(soci::session& sql, long long ticket_id, long long at, const std::string& actor,
                 std::string_view from, std::string_view to, const std::string& note) {
  EventWriter(sql, actor, at).add(ticket_id, from, to, note);
}

}  // namespace opr::tickets
