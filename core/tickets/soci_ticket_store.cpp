#include "tickets/soci_ticket_store.h"

#include <soci/soci.h>

#include <algorithm>
#include <utility>

#include "tickets/cached_queries.h"
#include "tickets/cause_tickets.h"
#include "tickets/connection.h"
#include "tickets/list_query.h"
#include "tickets/outbox_writer.h"
#include "tickets/schema.h"
#include "tickets/ticket_rows.h"
#include "tickets/write_transaction.h"

namespace opr::tickets {

std::unique_ptr<TicketStore> TicketStore::open(const std::string& connection,
                                               StoreOptions options) {
  ConnectionTarget target = parse_connection(connection);
  std::unique_ptr<soci::session> sql = connect(target);
  try {
    migrate(*sql, target.display, kSchemaVersion);
  } catch (const StoreError& e) {
    throw StoreError(target.shown(e.what()));
  }
  return std::make_unique<SociTicketStore>(std::move(sql), std::move(target), options);
}

SociTicketStore::SociTicketStore(std::unique_ptr<soci::session> sql, ConnectionTarget target,
                                 StoreOptions options)
    : sql_(std::move(sql)),
      queries_(std::make_unique<CachedQueries>(*sql_)),
      target_(std::move(target)),
      options_(options),
      catch_up_(options.router && options.router->repeats()) {}

SociTicketStore::~SociTicketStore() = default;

void SociTicketStore::set_options(const StoreOptions& options) {
  std::lock_guard lock(mutex_);
  options_ = options;
  catch_up_ = options_.router && options_.router->repeats();
}

void SociTicketStore::set_outbox_listener(std::function<void()> listener) {
  std::lock_guard lock(mutex_);
  outbox_listener_ = std::move(listener);
}

void SociTicketStore::outbox_written() const {
  if (options_.router && outbox_listener_) outbox_listener_();
}

void SociTicketStore::fail(const std::exception& e) const {
  // What the database library says may quote the connection string.
  throw StoreError(target_.shown("ticket database " + target_.display + ": " + e.what()));
}

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
  std::lock_guard lock(mutex_);
  try {
    WriteTransaction transaction(*sql_);
    // An acknowledgement that has ended is over before the change is judged.
    const bool expired = !expire_acknowledgements_locked(now_ms(), id).empty();
    std::string status_text, target, check, severity, old_diagnosis;
    int held = 0;
    const long long ticket_id = id;
    soci::indicator found = soci::i_null, diagnosed = soci::i_null;
    *sql_ << "SELECT status, held, target, check_name, severity, diagnosis FROM tickets"
             " WHERE id = :id",
        soci::into(status_text, found), soci::into(held), soci::into(target), soci::into(check),
        soci::into(severity), soci::into(old_diagnosis, diagnosed), soci::use(ticket_id);
    if (!sql_->got_data()) throw TicketError("no ticket " + std::to_string(id));
    const Status status = parse_status(status_text).value_or(Status::open);
    if (auto refused = refusal(id, status, held != 0, action)) {
      if (expired) {  // the reopening stands: it happened whatever the person wanted
        transaction.commit();
        outbox_written();
      }
      throw TicketError(*refused);
    }

    const long long now = to_ms(now_ms());
    std::string from(to_string(status));
    auto add_event = [&](const std::string& to, const std::string& note) {
      *sql_ << "INSERT INTO ticket_events (ticket_id, at, actor, from_status, to_status, note)"
               " VALUES (:ticket, :at, :actor, :from, :to, :note)",
          soci::use(ticket_id), soci::use(now), soci::use(actor), soci::use(from), soci::use(to),
          soci::use(note);
    };
    OutboxWriter outbox(*sql_, options_.router);
    auto notify = [&](NotifyEvent event, const std::string& note) {
      outbox.add({ticket_id, target, check, parse_severity(severity).value_or(Severity::warning),
                  event, from_ms(now), actor, note});
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
        add_event("acknowledged", note);
        notify(NotifyEvent::acknowledged, note);
        break;
      }
      case Action::diagnose:
        if (status == Status::diagnosed && diagnosed == soci::i_ok) {
          // The timeline keeps the diagnosis being replaced, whole.
          add_event("diagnosis_replaced", old_diagnosis);
        }
        *sql_ << "UPDATE tickets SET status = 'diagnosed', diagnosis = :diagnosis,"
                 " acknowledged_until = NULL, updated_at = :now WHERE id = :id",
            soci::use(text), soci::use(now), soci::use(ticket_id);
        add_event("diagnosed", diagnosis_note(text));
        notify(NotifyEvent::diagnosed, text);
        break;
      case Action::resolve:
        if (held != 0) {
          // A person resolving a held ticket means it: the hold goes too.
          *sql_ << "UPDATE tickets SET held = 0 WHERE id = :id", soci::use(ticket_id);
          add_event(kUnholdEvent, "hold released by resolve");
        }
        *sql_ << std::string(
                     "UPDATE tickets SET status = 'resolved', resolved_at = :at,"
                     " acknowledged_until = NULL, updated_at = :now, ") +
                     kClearUnknown + " WHERE id = :id",
            soci::use(now), soci::use(now), soci::use(ticket_id);
        add_event("resolved", text);
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

std::optional<Ticket> SociTicketStore::get(int64_t id) {
  std::lock_guard lock(mutex_);
  try {
    return get_locked(id);
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

void SociTicketStore::add_event(int64_t id, const std::string& actor, const std::string& what,
                                const std::string& note) {
  std::lock_guard lock(mutex_);
  try {
    WriteTransaction transaction(*sql_);
    const bool expired = !expire_acknowledgements_locked(now_ms(), id).empty();  // as change()
    const long long ticket_id = id;
    std::string status;
    *sql_ << "SELECT status FROM tickets WHERE id = :id", soci::into(status), soci::use(ticket_id);
    if (!sql_->got_data()) throw TicketError("no ticket " + std::to_string(id));
    const long long now = to_ms(now_ms());
    *sql_ << "INSERT INTO ticket_events (ticket_id, at, actor, from_status, to_status, note)"
             " VALUES (:ticket, :at, :actor, :from, :to, :note)",
        soci::use(ticket_id), soci::use(now), soci::use(actor), soci::use(status), soci::use(what),
        soci::use(note);
    transaction.commit();
    if (expired) outbox_written();
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

std::optional<Ticket> SociTicketStore::get_locked(int64_t id) {
  std::optional<Ticket> ticket = read_ticket(*sql_, id);
  if (ticket) {
    mark_silenced(*sql_, {&*ticket, 1}, now_ms());
    mark_blocked(*sql_, {&*ticket, 1});
  }
  return ticket;
}

std::vector<Ticket> SociTicketStore::list(const ListFilter& filter) {
  ListQuery query(filter);
  std::lock_guard lock(mutex_);
  try {
    std::vector<Ticket> tickets;
    TicketRow row;
    soci::statement select(*sql_);
    row.bind(select);
    query.bind(select);
    select.alloc();
    select.prepare(query.text());
    select.define_and_bind();
    select.execute();
    while (select.fetch()) tickets.push_back(row.to_ticket());
    mark_silenced(*sql_, tickets, now_ms());
    mark_blocked(*sql_, tickets);
    return tickets;
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

namespace {

// Every row a query with one :id parameter selects, converted by `convert`.
template <typename Row, typename Item>
std::vector<Item> rows_of(soci::session& sql, const std::string& query, long long id,
                          Item (Row::*convert)() const) {
  std::vector<Item> items;
  Row row;
  soci::statement select(sql);
  row.bind(select);
  select.exchange(soci::use(id));
  select.alloc();
  select.prepare(query);
  select.define_and_bind();
  select.execute();
  while (select.fetch()) items.push_back((row.*convert)());
  return items;
}

}  // namespace

std::vector<TicketEvent> SociTicketStore::events(int64_t ticket_id) {
  std::lock_guard lock(mutex_);
  try {
    return rows_of(
        *sql_,
        "SELECT id, ticket_id, at, actor, from_status, to_status, note FROM ticket_events"
        " WHERE ticket_id = :id ORDER BY id",
        ticket_id, &EventRow::to_event);
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

std::vector<Notification> SociTicketStore::notifications(int64_t ticket_id) {
  std::lock_guard lock(mutex_);
  try {
    return rows_of(*sql_,
                   std::string("SELECT ") + kNotificationColumns +
                       " FROM notifications WHERE ticket_id = :id ORDER BY id",
                   ticket_id, &NotificationRow::to_notification);
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

int64_t SociTicketStore::count_open() {
  std::lock_guard lock(mutex_);
  try {
    return queries_->count_open();
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

}  // namespace opr::tickets
