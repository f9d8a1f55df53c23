// The end of a key's flapping: found by the passing of time, not by a run.
#include <soci/soci.h>

#include <map>
#include <string>
#include <vector>

#include "common/duration.h"
#include "tickets/outbox_writer.h"
#include "tickets/soci_ticket_store.h"
#include "tickets/ticket_rows.h"
#include "tickets/write_transaction.h"

namespace opr::tickets {

namespace {

// The resolved flapping tickets of one key whose flapping has not been
// found stopped, oldest first (the last is the key's latest of them).
struct FlappingKey {
  std::vector<long long> ids;
  long long resolved_at = 0;  // of the last
  std::string target, check, severity;
};

std::map<std::string, FlappingKey> unstopped_flapping(soci::session& sql) {
  std::map<std::string, FlappingKey> keys;
  long long id = 0, resolved_at = 0;
  std::string key, target, check, severity;
  soci::statement select =
      (sql.prepare << "SELECT id, violation_key, resolved_at, target, check_name, severity"
                      " FROM tickets WHERE flapping = 1 AND status = 'resolved'"
                      " AND flapping_stopped_at IS NULL ORDER BY id",
       soci::into(id), soci::into(key), soci::into(resolved_at), soci::into(target),
       soci::into(check), soci::into(severity));
  select.execute();
  while (select.fetch()) {
    FlappingKey& entry = keys[key];
    entry.ids.push_back(id);
    entry.resolved_at = resolved_at;
    entry.target = target;
    entry.check = check;
    entry.severity = severity;
  }
  return keys;
}

bool has_open_ticket(soci::session& sql, const std::string& key) {
  int found = 0;
  sql << "SELECT COUNT(*) FROM tickets WHERE violation_key = :key AND status <> 'resolved'",
      soci::into(found), soci::use(key);
  return found > 0;
}

}  // namespace

int SociTicketStore::stop_flapping(TimePoint now) {
  std::lock_guard lock(mutex_);
  try {
    // Almost always nothing flaps: a read, and no write lock.
    if (unstopped_flapping(*sql_).empty()) return 0;
    WriteTransaction transaction(*sql_);
    const long long at = to_ms(now);
    const long long cutoff = at - options_.flapping_window.count();
    const std::string note =
        "not reopened within " + format_duration(options_.flapping_window) + " of resolving";
    const std::string actor = "monitor";
    OutboxWriter outbox(*sql_, options_.router);
    int stopped = 0;
    for (const auto& [key, entry] : unstopped_flapping(*sql_)) {
      if (entry.resolved_at > cutoff || has_open_ticket(*sql_, key)) continue;
      for (long long id : entry.ids) {
        *sql_ << "UPDATE tickets SET flapping_stopped_at = :at WHERE id = :id", soci::use(at),
            soci::use(id);
      }
      const long long last = entry.ids.back();
      const std::string from = "resolved", to = "flapping stopped";
      *sql_ << "INSERT INTO ticket_events (ticket_id, at, actor, from_status, to_status, note)"
               " VALUES (:ticket, :at, :actor, :from, :to, :note)",
          soci::use(last), soci::use(at), soci::use(actor), soci::use(from), soci::use(to),
          soci::use(note);
      outbox.add({last, entry.target, entry.check,
                  parse_severity(entry.severity).value_or(Severity::warning),
                  NotifyEvent::flapping_stopped, now, actor, note});
      ++stopped;
    }
    transaction.commit();
    outbox_written();
    return stopped;
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

}  // namespace opr::tickets
