// People's changes of a ticket (the CLI): the lifecycle's transitions,
// holds, and events such as notes, each one transaction with its events and
// notifications.
#include <soci/soci.h>

#include <optional>
#include <string>
#include <string_view>

#include "tickets/event_writer.h"
#include "tickets/outbox_writer.h"
#include "tickets/soci_ticket_store.h"
#include "tickets/ticket_rows.h"
#include "tickets/write_transaction.h"

namespace opr::tickets {

Ticket SociTicketStore::acknowledge(int64_t id, const std::string& actor, const std::string& note,
                                    std::optional<TimePoint> until) {
  return change(id, Action::acknowledge, actor, note, until);
}

Ticket SociTicketStore::diagnose(int64_t id, const std::string& actor,
                                 const std::string& diagnosis) {
  return change(id, Action::diagnose, actor, diagnosis);
}

Ticket SociTicketStore::resolve(int64_t id, const std::string& actor, const std::string& note) {
  return change(id, Action::resolve, actor, note);
}

Ticket SociTicketStore::hold(int64_t id, const std::string& actor, const std::string& note) {
  return change(id, Action::hold, actor, note);
}

Ticket SociTicketStore::unhold(int64_t id, const std::string& actor, const std::string& note) {
  return change(id, Action::unhold, actor, note);
}

namespace {

// The ticket a person changes, as the change reads it.
struct ChangedTicket {
  Status status = Status::open;
  bool held = false;
  std::string target, check;
  Severity severity = Severity::warning;
  std::optional<std::string> diagnosis;
};

std::optional<ChangedTicket> read_changed(soci::session& sql, long long id) {
  ChangedTicket ticket;
  std::string status, severity, diagnosis;
  int held = 0;
  soci::indicator diagnosed = soci::i_null;
  sql << "SELECT status, held, target, check_name, severity, diagnosis FROM tickets"
         " WHERE id = :id",
      soci::into(status), soci::into(held), soci::into(ticket.target), soci::into(ticket.check),
      soci::into(severity), soci::into(diagnosis, diagnosed), soci::use(id);
  if (!sql.got_data()) return std::nullopt;
  ticket.status = status_column(status);
  ticket.held = held != 0;
  ticket.severity = severity_column(severity);
  if (diagnosed == soci::i_ok) ticket.diagnosis = diagnosis;
  return ticket;
}

// The event note of a diagnosis: its first line, short.
std::string diagnosis_note(const std::string& diagnosis) {
  constexpr size_t kMax = 120;
  std::string line = diagnosis.substr(0, diagnosis.find('\n'));
  if (line.size() > kMax) line = line.substr(0, kMax) + "...";
  return "diagnosis: " + line;
}

}  // namespace

Ticket SociTicketStore::change(int64_t id, Action action, const std::string& actor,
                               const std::string& text, std::optional<TimePoint> until) {
  if (action == Action::diagnose && text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw TicketError("a diagnosis needs some text");
  }
  const auto lock = lock_connection();
  try {
    WriteTransaction transaction(*sql_);
    // An acknowledgement that has ended is over before the change is judged.
    const bool expired = !expire_acknowledgements_locked(now_ms(), id).empty();
    const long long ticket_id = id;
    const std::optional<ChangedTicket> ticket = read_changed(*sql_, ticket_id);
    if (!ticket) throw TicketError("no ticket " + std::to_string(id));
    if (auto refused = refusal(id, ticket->status, ticket->held, action)) {
      if (expired) {  // the reopening stands: it happened whatever the person wanted
        transaction.commit();
        outbox_written();
      }
      throw TicketError(*refused);
    }

    const long long now = to_ms(now_ms());
    EventWriter events(*sql_, actor, now);
    auto add_event = [&](std::string_view to, const std::string& note) {
      events.add(ticket_id, to_string(ticket->status), to, note);
    };
    OutboxWriter outbox(*sql_, options_.router);
    auto notify = [&](NotifyEvent event, const std::string& note) {
      outbox.add({ticket_id, ticket->target, ticket->check, ticket->severity, event, from_ms(now),
                  actor, note});
    };
    switch (action) {
      case Action::acknowledge: {
        soci::indicator has_end = until ? soci::i_ok : soci::i_null;
        const long long end = until ? to_ms(*until) : 0;
        *sql_ << "UPDATE tickets SET status = 'acknowledged', acknowledged_until = :until,"
                 " updated_at = :now WHERE id = :id",
            soci::use(end, has_end), soci::use(now), soci::use(ticket_id);
        const std::string note =
            until ? (text.empty() ? "" : text + " ") + "(until " + format_utc(*until) + ")" : text;
        add_event(to_string(Status::acknowledged), note);
        notify(NotifyEvent::acknowledged, note);
        break;
      }
      case Action::diagnose:
        if (ticket->status == Status::diagnosed && ticket->diagnosis) {
          // The timeline keeps the diagnosis being replaced, whole.
          add_event(kDiagnosisReplacedEvent, *ticket->diagnosis);
        }
        *sql_ << "UPDATE tickets SET status = 'diagnosed', diagnosis = :diagnosis,"
                 " acknowledged_until = NULL, updated_at = :now WHERE id = :id",
            soci::use(text), soci::use(now), soci::use(ticket_id);
        add_event(to_string(Status::diagnosed), diagnosis_note(text));
        notify(NotifyEvent::diagnosed, text);
        break;
      case Action::resolve:
        if (ticket->held) {
          // A person resolving a held ticket means it: the hold goes too.
          *sql_ << "UPDATE tickets SET held = 0 WHERE id = :id", soci::use(ticket_id);
          add_event(kUnholdEvent, "hold released by resolve");
        }
        *sql_ << std::string(
                     "UPDATE tickets SET status = 'resolved', resolved_at = :at,"
                     " acknowledged_until = NULL, updated_at = :now, ") +
                     kClearUnknown + " WHERE id = :id",
            soci::use(now), soci::use(now), soci::use(ticket_id);
        add_event(to_string(Status::resolved), text);
        notify(NotifyEvent::resolved, text);
        break;
      case Action::hold:
        *sql_ << "UPDATE tickets SET held = 1, updated_at = :now WHERE id = :id", soci::use(now),
            soci::use(ticket_id);
        add_event(kHoldEvent, text);
        break;
      case Action::unhold:
        *sql_ << "UPDATE tickets SET held = 0, updated_at = :now WHERE id = :id", soci::use(now),
            soci::use(ticket_id);
        add_event(kUnholdEvent, text);
        break;
    }
    transaction.commit();
    outbox_written();
    return *get_locked(id);
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

void SociTicketStore::add_event(int64_t id, const std::string& actor, const std::string& what,
                                const std::string& note) {
  const auto lock = lock_connection();
  try {
    WriteTransaction transaction(*sql_);
    const bool expired = !expire_acknowledgements_locked(now_ms(), id).empty();  // as change()
    const long long ticket_id = id;
    const std::optional<ChangedTicket> ticket = read_changed(*sql_, ticket_id);
    if (!ticket) throw TicketError("no ticket " + std::to_string(id));
    write_event(*sql_, ticket_id, to_ms(now_ms()), actor, to_string(ticket->status), what, note);
    transaction.commit();
    if (expired) outbox_written();
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

}  // namespace opr::tickets
