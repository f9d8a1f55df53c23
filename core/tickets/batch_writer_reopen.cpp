// A violation whose key resolved lately reopens that ticket: one ticket per
// cause, however often it comes and goes, flagged flapping when it keeps
// coming back.
#include <string>

#include "common/duration.h"
#include "tickets/batch_writer.h"
#include "tickets/event_writer.h"
#include "tickets/ticket_rows.h"

namespace opr::tickets {

long long BatchWriter::reopens_in_window(long long id) {
  CountReopens& b = count_reopens_;
  b.id = id;
  b.since = at_ - options_.flapping_window.count();
  if (!b.statement) {
    b.statement.emplace((sql_.prepare << std::string("SELECT COUNT(*) FROM ticket_events e"
                                                     " WHERE e.ticket_id = :id AND ") +
                                             kIsReopenEvent + " AND e.at >= :since",
                         soci::into(b.count), soci::use(b.id), soci::use(b.since)));
  }
  b.statement->execute(true);
  return b.count;
}

long long BatchWriter::reopen(const RecentlyResolved& recent, const NewTicket& ticket) {
  const long long reopens = reopens_in_window(recent.id) + 1;  // this one too
  const bool starts_flapping =
      !recent.flapping && options_.flapping_threshold > 0 && reopens >= options_.flapping_threshold;
  Reopen& b = reopen_;
  b.id = recent.id;
  b.message = ticket.message;
  b.severity = std::string(to_string(ticket.severity));
  b.snapshot = snapshot_column(ticket.metric_snapshot);
  b.flapping = recent.flapping || starts_flapping ? 1 : 0;
  if (!b.statement) {
    // The first sight, batch, diagnosis and history stay: it is the same
    // problem back. A flag set again starts a new flapping episode.
    b.statement.emplace(
        (sql_.prepare << "UPDATE tickets SET status = 'open', resolved_at = NULL,"
                         " occurrence_count = occurrence_count + 1, last_seen_at = :last,"
                         " message = :message, severity = :severity, metric_snapshot = :snapshot,"
                         " flapping = :flapping, flapping_stopped_at = NULL, updated_at = :updated"
                         " WHERE id = :id",
         soci::use(at_), soci::use(b.message), soci::use(b.severity), soci::use(b.snapshot),
         soci::use(b.flapping), soci::use(at_), soci::use(b.id)));
  }
  b.statement->execute(true);

  const std::string_view open = to_string(Status::open);
  events_.add(recent.id, to_string(Status::resolved), open, ticket.message);
  if (starts_flapping) {
    const std::string note = "reopened " + std::to_string(reopens) + " times within " +
                             format_duration(options_.flapping_window);
    events_.add(recent.id, open, kFlappingEvent, note);
    notify(recent.id, ticket.severity, NotifyEvent::flapping_started, note);
  } else if (!recent.flapping) {
    // To a receiver the ticket fires again (Alertmanager: the same alert,
    // its endsAt in the future once more).
    notify(recent.id, ticket.severity, NotifyEvent::opened, "reopened: " + ticket.message);
  }
  return recent.id;
}

}  // namespace opr::tickets
