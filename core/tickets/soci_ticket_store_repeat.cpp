// Reminders: open tickets nobody acknowledged, notified again after each
// receiver's repeat_interval; and, after the store opens or its receivers
// change, the tickets a repeating receiver never heard of.
#include <soci/soci.h>

#include <string>
#include <vector>

#include "tickets/outbox_writer.h"
#include "tickets/soci_ticket_store.h"
#include "tickets/ticket_rows.h"
#include "tickets/write_transaction.h"

namespace opr::tickets {

namespace {

struct Reminder {
  long long ticket_id = 0;
  std::string target, check, message;
  Severity severity = Severity::warning;
  Status status = Status::open;
  bool flapping = false;
  std::string receiver;
};

// The columns of a Reminder's ticket (t) as one statement fetches them,
// converted once per row by read().
struct ReminderRow {
  Reminder reminder;
  std::string severity, status;
  int flapping = 0;

  void bind(soci::statement& select) {
    select.exchange(soci::into(reminder.ticket_id));
    select.exchange(soci::into(reminder.target));
    select.exchange(soci::into(reminder.check));
    select.exchange(soci::into(severity));
    select.exchange(soci::into(reminder.message));
    select.exchange(soci::into(status));
    select.exchange(soci::into(flapping));
  }
  const Reminder& read() {
    reminder.severity = severity_column(severity);
    reminder.status = status_column(status);
    reminder.flapping = flapping != 0;
    return reminder;
  }
};

constexpr const char* kReminderColumns =
    "t.id, t.target, t.check_name, t.severity, t.message, t.status, t.flapping";

// Reminded while it is open and steady, or whatever its state for a
// receiver that repeats until it resolves.
bool reminds(const Reminder& reminder, bool until_resolved) {
  return (reminder.status == Status::open && !reminder.flapping) || until_resolved;
}

// The non-resolved tickets whose last notification to a repeating receiver
// is at least its interval old, and that it repeats in their state.
std::vector<Reminder> due_reminders(soci::session& sql, const NotificationRouter& router,
                                    long long now) {
  std::vector<Reminder> due;
  ReminderRow row;
  std::string receiver;
  long long last = 0;
  // "status <> 'resolved'" as written in the partial indexes, so that only
  // non-resolved tickets are read, then their notifications by index.
  soci::statement select(sql);
  row.bind(select);
  select.exchange(soci::into(receiver));
  select.exchange(soci::into(last));
  select.alloc();
  select.prepare(std::string("SELECT ") + kReminderColumns +
                 ", n.receiver, MAX(n.created_at) FROM tickets t"
                 " JOIN notifications n ON n.ticket_id = t.id"
                 " WHERE t.status <> 'resolved'"
                 " GROUP BY t.id, t.target, t.check_name, t.severity, t.message, t.status,"
                 " t.flapping, n.receiver");
  select.define_and_bind();
  select.execute();
  while (select.fetch()) {
    const auto interval = router.repeat_interval(receiver);
    if (interval.count() <= 0 || now - last < interval.count()) continue;
    if (!reminds(row.read(), router.repeats_until_resolved(receiver))) continue;
    due.push_back(row.reminder);
    due.back().receiver = receiver;
  }
  return due;
}

// The non-resolved tickets that never notified `receiver`, a repeating one
// (added to the config after they opened, or routed to it since), that it
// repeats in their state: it hears of them now rather than never.
void untold_tickets(soci::session& sql, const NotificationRouter& router,
                    const std::string& receiver, std::vector<Reminder>& due) {
  ReminderRow row;
  std::string name = receiver;
  soci::statement select(sql);
  row.bind(select);
  select.exchange(soci::use(name));
  select.alloc();
  select.prepare(std::string("SELECT ") + kReminderColumns +
                 " FROM tickets t WHERE t.status <> 'resolved' AND NOT EXISTS"
                 " (SELECT 1 FROM notifications n WHERE n.ticket_id = t.id"
                 " AND n.receiver = :receiver)");
  select.define_and_bind();
  select.execute();
  while (select.fetch()) {
    if (!reminds(row.read(), router.repeats_until_resolved(receiver))) continue;
    due.push_back(row.reminder);
    due.back().receiver = receiver;
  }
}

}  // namespace

int SociTicketStore::repeat_notifications(TimePoint now) {
  const auto lock = lock_connection();
  const std::shared_ptr<const NotificationRouter> router = options_.router;
  if (!router || !router->repeats()) return 0;
  try {
    const long long at = to_ms(now);
    std::vector<Reminder> untold;
    if (catch_up_) {
      for (const std::string& receiver : router->repeating_receivers()) {
        untold_tickets(*sql_, *router, receiver, untold);
      }
      catch_up_ = false;
    }
    if (untold.empty() && due_reminders(*sql_, *router, at).empty()) return 0;
    WriteTransaction transaction(*sql_);
    OutboxWriter outbox(*sql_, router);
    int written = 0;
    std::vector<Reminder> due = due_reminders(*sql_, *router, at);
    due.insert(due.end(), untold.begin(), untold.end());
    for (const Reminder& reminder : due) {
      // Only the latest repeat of a ticket to a receiver is kept once
      // delivered (or silenced): an Alertmanager's every minute would pile
      // up otherwise.
      *sql_ << "DELETE FROM notifications WHERE ticket_id = :ticket AND receiver = :receiver"
               " AND event = 'repeated' AND state IN ('delivered', 'silenced')",
          soci::use(reminder.ticket_id), soci::use(reminder.receiver);
      written +=
          outbox.add_for({reminder.ticket_id, reminder.target, reminder.check, reminder.severity,
                          NotifyEvent::repeated, now, kMonitorActor, reminder.message},
                         reminder.receiver);
    }
    transaction.commit();
    outbox_written();
    return written;
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

}  // namespace opr::tickets
