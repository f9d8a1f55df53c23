// Writes a ticket event's notifications into the outbox, inside the
// transaction that records the event. The router decides the receivers;
// with none (or no router) nothing is read or written, so the monitor pays
// for notifications only when someone listens.
#pragma once

#include <soci/soci.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tickets/outbox.h"
#include "tickets/silence.h"
#include "tickets/ticket_rows.h"

namespace opr::tickets {

// One event of one ticket, as routing and the payload see it. `severity`
// is the ticket's after the event.
struct OutboxEvent {
  long long ticket_id = 0;
  std::string target;
  std::string check;
  Severity severity = Severity::warning;
  NotifyEvent kind = NotifyEvent::opened;
  TimePoint at;
  std::string actor;
  std::string note;
};

class OutboxWriter {
 public:
  // `sql` must outlive this object and be inside a write transaction
  // whenever add() is called.
  OutboxWriter(soci::session& sql, std::shared_ptr<const NotificationRouter> router);
  OutboxWriter(const OutboxWriter&) = delete;
  OutboxWriter& operator=(const OutboxWriter&) = delete;

  // One pending row per receiver the event routes to, due at once; its
  // payload holds all of the body but the ticket (added when it is sent). While a
  // silence covers the ticket the rows are written `silenced` (never sent).
  // Returns how many rows were written.
  int add(const OutboxEvent& event);
  // The same for `receiver` alone, if the event still routes to it.
  int add_for(const OutboxEvent& event, const std::string& receiver);

 private:
  // What the router is asked about `event`.
  RouteQuery query(const OutboxEvent& event);
  // Writes one row per name in `receivers` (all among route's).
  int write(const OutboxEvent& event, const Route& route,
            const std::vector<std::string>& receivers);

  soci::session& sql_;
  const std::shared_ptr<const NotificationRouter> router_;
  // The insert of a notification row, prepared at the first row, next to
  // the variables it is bound to.
  struct Insert {
    std::string uid, receiver, event, payload, state, note;
    soci::indicator note_indicator = soci::i_null;
    long long ticket_id = 0, at = 0;
    std::optional<soci::statement> statement;
  } insert_;
  // The silences of each target this transaction wrote for (none can
  // change while it holds the write lock).
  std::map<std::string, std::vector<Silence>> silences_;
  std::optional<TicketReader> reader_;
};

// The last_error of a notification held back by silence `silence_id`.
std::string silenced_note(int64_t silence_id);

// A new notification id: a random (version 4) UUID.
std::string new_notification_uid();

}  // namespace opr::tickets
