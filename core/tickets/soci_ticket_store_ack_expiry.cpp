// The end of an acknowledgement given with `tickets ack --expire`: found by
// the passing of time (the monitor's cycle), or by the next person's write
// to that ticket, whichever comes first.
#include <soci/soci.h>

#include <string>
#include <vector>

#include "tickets/event_writer.h"
#include "tickets/outbox_writer.h"
#include "tickets/soci_ticket_store.h"
#include "tickets/ticket_rows.h"
#include "tickets/write_transaction.h"

namespace opr::tickets {

namespace {

// Acknowledged with an end that has come; only `only_id` when set.
constexpr const char* kDueAcknowledgements =
    "SELECT id, target, check_name, severity, acknowledged_until FROM tickets"
    " WHERE status = 'acknowledged' AND acknowledged_until IS NOT NULL"
    " AND acknowledged_until <= :now";

struct DueAcknowledgement {
  long long id = 0;
  std::string target, check;
  Severity severity = Severity::warning;
  long long until = 0;
};

std::vector<DueAcknowledgement> due_acknowledgements(soci::session& sql, long long now,
                                                     std::optional<long long> only_id) {
  std::vector<DueAcknowledgement> due;
  DueAcknowledgement row;
  std::string severity;
  long long id = only_id.value_or(0);
  soci::statement select(sql);
  select.exchange(soci::into(row.id));
  select.exchange(soci::into(row.target));
  select.exchange(soci::into(row.check));
  select.exchange(soci::into(severity));
  select.exchange(soci::into(row.until));
  select.exchange(soci::use(now));
  if (only_id) select.exchange(soci::use(id));
  select.alloc();
  select.prepare(std::string(kDueAcknowledgements) + (only_id ? " AND id = :id" : "") +
                 " ORDER BY id");
  select.define_and_bind();
  select.execute();
  while (select.fetch()) {
    row.severity = severity_column(severity);
    due.push_back(row);
  }
  return due;
}

}  // namespace

std::vector<int64_t> SociTicketStore::expire_acknowledgements_locked(
    TimePoint now, std::optional<long long> only_id) {
  const long long at = to_ms(now);
  EventWriter events(*sql_, kMonitorActor, at);
  OutboxWriter outbox(*sql_, options_.router);
  std::vector<int64_t> expired;
  for (const DueAcknowledgement& due : due_acknowledgements(*sql_, at, only_id)) {
    *sql_ << "UPDATE tickets SET status = 'open', acknowledged_until = NULL, updated_at = :now"
             " WHERE id = :id",
        soci::use(at), soci::use(due.id);
    const std::string note =
        "acknowledgement expired (acknowledged until " + format_utc(from_ms(due.until)) + ")";
    events.add(due.id, to_string(Status::acknowledged), to_string(Status::open), note);
    outbox.add({due.id, due.target, due.check, due.severity, NotifyEvent::acknowledgement_expired,
                now, kMonitorActor, note});
    expired.push_back(due.id);
  }
  return expired;
}

std::vector<int64_t> SociTicketStore::expire_acknowledgements(TimePoint now) {
  const auto lock = lock_connection();
  try {
    // Almost always none is due: a read, and no write lock.
    if (due_acknowledgements(*sql_, to_ms(now), std::nullopt).empty()) return {};
    WriteTransaction transaction(*sql_);
    auto expired = expire_acknowledgements_locked(now, std::nullopt);
    transaction.commit();
    outbox_written();
    return expired;
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

}  // namespace opr::tickets
