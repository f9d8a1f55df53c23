// The end of a ticket's flapping: found by the passing of time, not by a run.
#include <soci/soci.h>

#include <string>
#include <vector>

#include "common/duration.h"
#include "tickets/event_writer.h"
#include "tickets/outbox_writer.h"
#include "tickets/soci_ticket_store.h"
#include "tickets/ticket_rows.h"
#include "tickets/write_transaction.h"

namespace opr::tickets {

namespace {

// A flapping ticket and the time it last came back (its last reopen, or
// its creation when it never reopened).
struct FlappingTicket {
  long long id = 0, last_back = 0;
  Status status = Status::open;
  std::string target, check;
  Severity severity = Severity::warning;
};

// The flagged tickets, resolved or not. Two reads so that each is served by
// a partial index (resolved flapping ones; the non-resolved ones), not a
// scan of every ticket ever written.
std::vector<FlappingTicket> flapping_tickets(soci::session& sql) {
  std::vector<FlappingTicket> tickets;
  FlappingTicket row;
  std::string status, severity;
  for (const char* which : {"status = 'resolved' AND flapping_stopped_at IS NULL",
                            "status <> 'resolved' AND flapping_stopped_at IS NULL"}) {
    soci::statement select =
        (sql.prepare << std::string("SELECT t.id, t.status, t.target, t.check_name, t.severity,"
                                    " COALESCE((SELECT MAX(e.at) FROM ticket_events e"
                                    " WHERE e.ticket_id = t.id AND ") +
                            kIsReopenEvent +
                            "), t.created_at) FROM tickets t WHERE t.flapping = 1 AND t." + which +
                            " ORDER BY t.id",
         soci::into(row.id), soci::into(status), soci::into(row.target), soci::into(row.check),
         soci::into(severity), soci::into(row.last_back));
    select.execute();
    while (select.fetch()) {
      row.status = status_column(status);
      row.severity = severity_column(severity);
      tickets.push_back(row);
    }
  }
  return tickets;
}

}  // namespace

std::vector<int64_t> SociTicketStore::stop_flapping(TimePoint now) {
  const auto lock = lock_connection();
  try {
    const long long at = to_ms(now);
    const long long cutoff = at - options_.flapping_window.count();
    auto quiet = [&](const FlappingTicket& ticket) { return ticket.last_back <= cutoff; };
    // Almost always nothing flaps: a read, and no write lock.
    bool any = false;
    for (const auto& ticket : flapping_tickets(*sql_)) any = any || quiet(ticket);
    if (!any) return {};
    WriteTransaction transaction(*sql_);
    const std::string note = "not reopened within " + format_duration(options_.flapping_window);
    EventWriter events(*sql_, kMonitorActor, at);
    OutboxWriter outbox(*sql_, options_.router);
    std::vector<int64_t> stopped;
    for (const auto& ticket : flapping_tickets(*sql_)) {
      if (!quiet(ticket)) continue;
      *sql_ << "UPDATE tickets SET flapping = 0, flapping_stopped_at = :at, updated_at = :updated"
               " WHERE id = :id",
          soci::use(at), soci::use(at), soci::use(ticket.id);
      events.add(ticket.id, to_string(ticket.status), kFlappingClearedEvent, note);
      outbox.add({ticket.id, ticket.target, ticket.check, ticket.severity,
                  NotifyEvent::flapping_stopped, now, kMonitorActor, note});
      stopped.push_back(ticket.id);
    }
    transaction.commit();
    outbox_written();
    return stopped;
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

}  // namespace opr::tickets
