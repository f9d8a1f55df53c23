#include "tickets/batch_writer.h"

#include <initializer_list>
#include <utility>

#include "common/duration.h"
#include "tickets/ticket_rows.h"

namespace opr::tickets {

namespace {

constexpr const char* kSeenAgainNote = "the check sees the subject again";

}  // namespace

BatchWriter::BatchWriter(soci::session& sql, std::string target, std::string check, TimePoint at,
                         const StoreOptions& options)
    : sql_(sql),
      target_(std::move(target)),
      check_(std::move(check)),
      at_(to_ms(at)),
      options_(options),
      events_(sql, actor_, at_),
      outbox_(sql, options.router) {}

std::unordered_map<std::string, OpenTicketRef> BatchWriter::open_tickets() {
  std::unordered_map<std::string, OpenTicketRef> tickets;
  std::string key, status, severity;
  OpenTicketRef ref;
  int held = 0, flapping = 0, unknown = 0;
  long long unknown_since = 0;
  soci::indicator unknown_since_indicator = soci::i_null;
  soci::statement select =
      (sql_.prepare << "SELECT id, violation_key, subject, status, held, flapping, severity,"
                       " unknown, unknown_since FROM tickets"
                       " WHERE target = :target AND check_name = :check AND status <> 'resolved'",
       soci::into(ref.id), soci::into(key), soci::into(ref.subject), soci::into(status),
       soci::into(held), soci::into(flapping), soci::into(severity), soci::into(unknown),
       soci::into(unknown_since, unknown_since_indicator), soci::use(target_), soci::use(check_));
  select.execute();
  while (select.fetch()) {
    ref.status = status_column(status);
    ref.severity = severity_column(severity);
    ref.held = held != 0;
    ref.flapping = flapping != 0;
    ref.unknown = unknown != 0;
    ref.unknown_since = unknown_since_indicator == soci::i_ok
                            ? std::optional<long long>(unknown_since)
                            : std::nullopt;
    tickets.emplace(key, ref);
  }
  return tickets;
}

std::unordered_map<std::string, long long> BatchWriter::pending() {
  std::unordered_map<std::string, long long> pending;
  std::string key;
  long long first_seen = 0;
  soci::statement select =
      (sql_.prepare << "SELECT violation_key, first_seen_at FROM pending_violations"
                       " WHERE target = :target AND check_name = :check",
       soci::into(key), soci::into(first_seen), soci::use(target_), soci::use(check_));
  select.execute();
  while (select.fetch()) pending.emplace(key, first_seen);
  return pending;
}

std::optional<BatchWriter::RecentlyResolved> BatchWriter::resolved_lately(const std::string& key) {
  if (options_.flapping_window.count() <= 0) return std::nullopt;
  if (!resolved_lately_) {
    // One read for the whole run instead of one per opening key; by id,
    // so the key's latest ticket is the one kept. A key with an open
    // ticket does not open, so each of these is its key's latest.
    resolved_lately_.emplace();
    const long long since = at_ - options_.flapping_window.count();
    std::string row_key, severity;
    RecentlyResolved row;
    int flapping = 0;
    soci::statement select =
        (sql_.prepare
             << "SELECT violation_key, id, " + std::string(kFlappingColumn) +
                    ", severity FROM tickets"
                    " WHERE status = 'resolved' AND target = :target AND check_name = :check"
                    " AND resolved_at >= :since ORDER BY id",
         soci::into(row_key), soci::into(row.id), soci::into(flapping), soci::into(severity),
         soci::use(target_), soci::use(check_), soci::use(since));
    select.execute();
    while (select.fetch()) {
      row.flapping = flapping != 0;
      row.severity = severity_column(severity);
      (*resolved_lately_)[row_key] = row;
    }
  }
  const auto found = resolved_lately_->find(key);
  if (found == resolved_lately_->end()) return std::nullopt;
  RecentlyResolved recent = found->second;
  resolved_lately_->erase(found);  // open now: it cannot reopen again in this run
  return recent;
}

TicketChange BatchWriter::open_ticket(const NewTicket& ticket) {
  if (const auto recent = resolved_lately(ticket.key)) {
    return {TicketChange::Kind::reopened, reopen(*recent, ticket), check_, ticket.subject};
  }

  InsertTicket& b = insert_ticket_;
  b.key = ticket.key;
  b.subject = ticket.subject;
  b.message = ticket.message;
  b.severity = std::string(to_string(ticket.severity));
  b.snapshot = snapshot_column(ticket.metric_snapshot);
  b.batch_key = ticket.batch_key;
  b.first_seen = to_ms(ticket.first_seen);
  // PostgreSQL answers the new id in the insert's own round trip; SQLite
  // knows it without one (last_insert_rowid).
  const bool returning = sql_.get_backend_name() == "postgresql";
  if (!b.insert) {
    soci::statement& insert = b.insert.emplace(sql_);
    if (returning) insert.exchange(soci::into(b.id));
    for (const std::string* value : std::initializer_list<const std::string*>{
             &b.key, &target_, &check_, &b.subject, &b.severity, &b.message, &b.batch_key}) {
      insert.exchange(soci::use(*value));
    }
    insert.exchange(soci::use(b.first_seen));
    insert.exchange(soci::use(at_));
    insert.exchange(soci::use(b.snapshot));
    insert.exchange(soci::use(at_));
    insert.exchange(soci::use(at_));
    insert.alloc();
    insert.prepare(
        std::string("INSERT INTO tickets (violation_key, target, check_name, subject, status,"
                    " held, flapping, severity, message, batch_key, occurrence_count,"
                    " first_seen_at, last_seen_at, metric_snapshot, created_at, updated_at)"
                    " VALUES (:key, :target, :check, :subject, 'open', 0, 0,"
                    " :severity, :message, :batch, 1, :first, :last, :snapshot, :created,"
                    " :updated)") +
        (returning ? " RETURNING id" : ""));
    insert.define_and_bind();
  }
  b.insert->execute(true);

  long long id = b.id;
  if (!returning && !sql_.get_last_insert_id("tickets", id)) {
    // Backends without either: the unique partial index makes the key's
    // non-resolved ticket this one.
    if (!b.select_id) {
      b.select_id.emplace((sql_.prepare << "SELECT id FROM tickets WHERE violation_key = :key"
                                           " AND status <> 'resolved'",
                           soci::into(b.id), soci::use(b.key)));
    }
    b.select_id->execute(true);
    id = b.id;
  }

  events_.add(id, kNoStatus, to_string(Status::open), ticket.message);
  notify(id, ticket.severity, NotifyEvent::opened, ticket.message);
  return {TicketChange::Kind::opened, id, check_, ticket.subject};
}

void BatchWriter::bump(const OpenTicketRef& ticket, const std::string& message, Severity severity,
                       const std::string& metric_snapshot) {
  Bump& b = bump_;
  b.id = ticket.id;
  b.message = message;
  b.severity = std::string(to_string(severity));
  b.snapshot = snapshot_column(metric_snapshot);
  if (!b.statement) {
    b.statement.emplace((sql_.prepare << "UPDATE tickets SET occurrence_count = occurrence_count"
                                         " + 1, last_seen_at = :last, message = :message,"
                                         " severity = :severity, metric_snapshot = :snapshot,"
                                         " updated_at = :updated WHERE id = :id",
                         soci::use(at_), soci::use(b.message), soci::use(b.severity),
                         soci::use(b.snapshot), soci::use(at_), soci::use(b.id)));
  }
  b.statement->execute(true);
  if (ticket.severity != severity) {
    const std::string note =
        "severity " + std::string(to_string(ticket.severity)) + " -> " + b.severity;
    events_.add(ticket.id, to_string(ticket.status), kUpdatedEvent, note);
    notify(ticket.id, severity, NotifyEvent::severity_changed, note);
  }
  seen_again(ticket);
}

TicketChange BatchWriter::resolve(const OpenTicketRef& ticket, const std::string& note) {
  ById& b = resolve_;
  b.id = ticket.id;
  if (!b.statement) {
    b.statement.emplace(
        (sql_.prepare << std::string("UPDATE tickets SET status = 'resolved',"
                                     " resolved_at = :at, updated_at = :updated, ") +
                             kClearUnknown + " WHERE id = :id",
         soci::use(at_), soci::use(at_), soci::use(b.id)));
  }
  b.statement->execute(true);
  events_.add(ticket.id, to_string(ticket.status), to_string(Status::resolved), note);
  if (!ticket.flapping) notify(ticket.id, ticket.severity, NotifyEvent::resolved, note);
  return {TicketChange::Kind::resolved, ticket.id, check_, ticket.subject};
}

void BatchWriter::keep_unknown(const OpenTicketRef& ticket, const std::string& reason,
                               std::chrono::milliseconds interval) {
  NoteUnknown& b = note_unknown_;
  b.id = ticket.id;
  b.since = ticket.unknown_since.value_or(at_);
  b.reason = reason;
  if (!b.statement) {
    b.statement.emplace((sql_.prepare
                             << "UPDATE tickets SET unknown_since = :since, unknown_at = :at,"
                                " unknown_reason = :reason WHERE id = :id",
                         soci::use(b.since), soci::use(at_), soci::use(b.reason), soci::use(b.id)));
  }
  b.statement->execute(true);
  if (ticket.unknown || at_ - b.since < interval.count()) return;
  ById& mark = mark_unknown_;
  mark.id = ticket.id;
  if (!mark.statement) {
    mark.statement.emplace(
        (sql_.prepare << "UPDATE tickets SET unknown = 1, updated_at = :updated WHERE id = :id",
         soci::use(at_), soci::use(mark.id)));
  }
  mark.statement->execute(true);
  events_.add(ticket.id, to_string(ticket.status), kUnknownEvent, reason);
}

void BatchWriter::seen_again(const OpenTicketRef& ticket) {
  if (!ticket.unknown_since) return;
  ById& b = clear_unknown_;
  b.id = ticket.id;
  if (!b.statement) {
    // The mark going is a change of the ticket; the streak alone is not.
    // (Every SET reads the row as it was.)
    b.statement.emplace(
        (sql_.prepare << std::string("UPDATE tickets SET updated_at = CASE WHEN unknown = 1"
                                     " THEN :updated ELSE updated_at END, ") +
                             kClearUnknown + " WHERE id = :id",
         soci::use(at_), soci::use(b.id)));
  }
  b.statement->execute(true);
  if (ticket.unknown) {
    events_.add(ticket.id, to_string(ticket.status), kSeenAgainEvent, kSeenAgainNote);
  }
}

void BatchWriter::add_pending(const std::string& key, const std::string& subject,
                              long long first_seen) {
  AddPending& b = add_pending_;
  b.key = key;
  b.subject = subject;
  b.first_seen = first_seen;
  if (!b.statement) {
    b.statement.emplace((sql_.prepare
                             << "INSERT INTO pending_violations (violation_key, target, check_name,"
                                " subject, first_seen_at, last_seen_at)"
                                " VALUES (:key, :target, :check, :subject, :first, :last)",
                         soci::use(b.key), soci::use(target_), soci::use(check_),
                         soci::use(b.subject), soci::use(b.first_seen), soci::use(at_)));
  }
  b.statement->execute(true);
}

void BatchWriter::touch_pending(const std::string& key) {
  PendingKey& b = touch_pending_;
  b.key = key;
  if (!b.statement) {
    b.statement.emplace((sql_.prepare << "UPDATE pending_violations SET last_seen_at = :at"
                                         " WHERE violation_key = :key",
                         soci::use(at_), soci::use(b.key)));
  }
  b.statement->execute(true);
}

void BatchWriter::forget_pending(const std::string& key) {
  PendingKey& b = forget_pending_;
  b.key = key;
  if (!b.statement) {
    b.statement.emplace(
        (sql_.prepare << "DELETE FROM pending_violations WHERE violation_key = :key",
         soci::use(b.key)));
  }
  b.statement->execute(true);
}

void BatchWriter::notify(long long ticket_id, Severity severity, NotifyEvent event,
                         const std::string& note) {
  outbox_.add({ticket_id, target_, check_, severity, event, from_ms(at_), actor_, note});
}

}  // namespace opr::tickets
