// The sender's side of the outbox: what is due, and how each attempt went.
#include <soci/soci.h>

#include <string>
#include <vector>

#include "tickets/soci_ticket_store.h"
#include "tickets/ticket_rows.h"

namespace opr::tickets {

std::vector<Notification> SociTicketStore::due_notifications(TimePoint now, int limit, bool hooks) {
  const auto lock = lock_connection();
  try {
    std::vector<Notification> due;
    NotificationRow row;
    long long at = to_ms(now);
    long long most = limit;
    soci::statement select(*sql_);
    row.bind(select);
    select.exchange(soci::use(at));
    select.exchange(soci::use(most));
    select.alloc();
    // Spelled as in the partial index notifications_due.
    select.prepare(std::string("SELECT ") + kNotificationColumns +
                   " FROM notifications WHERE state = 'pending' AND next_attempt_at <= :now" +
                   (hooks ? " AND receiver LIKE 'hook:%'" : " AND receiver NOT LIKE 'hook:%'") +
                   " ORDER BY next_attempt_at, id LIMIT :limit");
    select.define_and_bind();
    select.execute();
    while (select.fetch()) due.push_back(row.to_notification());
    return due;
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

void SociTicketStore::record_delivered(int64_t id, TimePoint at) {
  const auto lock = lock_connection();
  try {
    const long long row = id;
    const long long when = to_ms(at);
    *sql_ << "UPDATE notifications SET state = 'delivered', attempts = attempts + 1,"
             " delivered_at = :at, last_error = NULL WHERE id = :id AND state = 'pending'",
        soci::use(when), soci::use(row);
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

void SociTicketStore::record_failed_attempt(int64_t id, const std::string& error,
                                            std::optional<TimePoint> retry_at) {
  const auto lock = lock_connection();
  try {
    const long long row = id;
    if (retry_at) {
      const long long next = to_ms(*retry_at);
      *sql_ << "UPDATE notifications SET attempts = attempts + 1, last_error = :error,"
               " next_attempt_at = :next WHERE id = :id AND state = 'pending'",
          soci::use(error), soci::use(next), soci::use(row);
    } else {
      *sql_ << "UPDATE notifications SET state = 'failed', attempts = attempts + 1,"
               " last_error = :error WHERE id = :id AND state = 'pending'",
          soci::use(error), soci::use(row);
    }
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

}  // namespace opr::tickets
