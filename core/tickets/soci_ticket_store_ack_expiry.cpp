// The end of an acknowledgement given with `tickets ack --expire`: found by
// the passing of time (the monitor's cycle), or by the next person's write
// to that ticket, whichever comes first.
#include <soci/soci.h>

#include <string>
#include <vector>

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
  std::string target, check, severity;
  long long until = 0;
};

std::vector<DueAcknowledgement> due_acknowledgements(soci::session& sql, long long now,
                                                     std::optional<long long> only_id) {
  std::vector<DueAcknowledgement> due;
  DueAcknowledgement row;
  long long id = only_id.value_or(0);
  soci::statement select(sql);
  select.exchange(soci::into(row.id));
  select.exchange(soci::into(row.target));
  select.exchange(soci::into(row.check));
  select.exchange(soci::into(row.severity));
  select.exchange(soci::into(row.until));
  select.exchange(soci::use(now));
  if (only_id) select.exchange(soci::use(id));
  select.alloc();
  select.prepare(std::string(kDueAcknowledgements) + (only_id ? " AND id = :id" : "") +
                 " ORDER BY id");
  select.define_and_bind();
  select.execute();
  while (select.fetch()) due.push_back(row);
  return due;
}

}  // namespace

std::vector<int64_t> SociTicketStore::expire_acknowledgements_locked(
    TimePoint now, std::optional<long long> only_id) {
  const long long at = to_ms(now);
  const std::string actor = "monitor", from = "acknowledged", to = "open";
  OutboxWriter outbox(*sql_, options_.router);
  std::vector<int64_t> expired;
  for (const DueAcknowledgement& due : due_acknowledgements(*sql_, at, only_id)) {
    *sql_ << "UPDATE tickets SET status = 'open', acknowledged_until = NULL, updated_at = :now"
             " WHERE id = :id",
        soci::use(at), soci::use(due.id);
    const std::string note =
        "acknowledgement expired (acknowledged until " + format_utc(from_ms(due.until)) + ")";
    *sql_ << "INSERT INTO ticket_events (ticket_id, at, actor, from_status, to_status, note)"
             " VALUES (:ticket, :at, :actor, :from, :to, :note)",
        soci::use(due.id), soci::use(at), soci::use(actor), soci::use(from), soci::use(to),
        soci::use(note);
    outbox.add({due.id, due.target, due.check,
                parse_severity(due.severity).value_or(Severity::warning),
                NotifyEvent::acknowledgement_expired, now, actor, note});
    expired.push_back(due.id);
  }
  return expired;
}

std::vector<int64_t> SociTicketStore::expire_acknowledgements(TimePoint now) {
  std::lock_guard lock(mutex_);
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
