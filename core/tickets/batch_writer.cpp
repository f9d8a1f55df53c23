#include "tickets/batch_writer.h"

#include <utility>

#include "common/duration.h"
#include "tickets/ticket_rows.h"

namespace opr::tickets {

namespace {

constexpr const char* kUnknownEvent = "unknown";
constexpr const char* kSeenAgainEvent = "seen again";
constexpr const char* kSeenAgainNote = "the check sees the subject again";

}  // namespace

BatchWriter::BatchWriter(soci::session& sql, std::string target, std::string check, TimePoint at,
                         const StoreOptions& options)
    : sql_(sql),
      target_(std::move(target)),
      check_(std::move(check)),
      at_(to_ms(at)),
      options_(options),
      outbox_(sql, options.router) {}

std::unordered_map<std::string, OpenTicketRef> BatchWriter::open_tickets() {
  std::unordered_map<std::string, OpenTicketRef> tickets;
  std::string key;
  OpenTicketRef ref;
  int held = 0, flapping = 0, unknown = 0;
  long long unknown_since = 0;
  soci::indicator unknown_since_indicator = soci::i_null;
  soci::statement select =
      (sql_.prepare << "SELECT id, violation_key, subject, status, held, flapping, severity,"
                       " unknown, unknown_since FROM tickets"
                       " WHERE target = :target AND check_name = :check AND status <> 'resolved'",
       soci::into(ref.id), soci::into(key), soci::into(ref.subject), soci::into(ref.status),
       soci::into(held), soci::into(flapping), soci::into(ref.severity), soci::into(unknown),
       soci::into(unknown_since, unknown_since_indicator), soci::use(target_), soci::use(check_));
  select.execute();
  while (select.fetch()) {
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
    std::string row_key;
    RecentlyResolved row;
    int flapping = 0;
    soci::statement select =
        (sql_.prepare
             << "SELECT violation_key, id, " + std::string(kFlappingColumn) +
                    ", severity FROM tickets"
                    " WHERE status = 'resolved' AND target = :target AND check_name = :check"
                    " AND resolved_at >= :since ORDER BY id",
         soci::into(row_key), soci::into(row.id), soci::into(flapping), soci::into(row.severity),
         soci::use(target_), soci::use(check_), soci::use(since));
    select.execute();
    while (select.fetch()) {
      row.flapping = flapping != 0;
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

  key_ = ticket.key;
  subject_ = ticket.subject;
  message_ = ticket.message;
  severity_ = std::string(to_string(ticket.severity));
  snapshot_ = ticket.metric_snapshot.empty() ? "{}" : ticket.metric_snapshot;
  batch_key_ = ticket.batch_key;
  first_seen_ = to_ms(ticket.first_seen);
  if (!insert_ticket_) {
    insert_ticket_.emplace(
        (sql_.prepare << "INSERT INTO tickets (violation_key, target, check_name, subject, status,"
                         " held, flapping, severity, message, batch_key, occurrence_count,"
                         " first_seen_at, last_seen_at, metric_snapshot, created_at, updated_at)"
                         " VALUES (:key, :target, :check, :subject, 'open', 0, 0,"
                         " :severity, :message, :batch, 1, :first, :last, :snapshot, :created,"
                         " :updated)",
         soci::use(key_), soci::use(target_), soci::use(check_), soci::use(subject_),
         soci::use(severity_), soci::use(message_), soci::use(batch_key_), soci::use(first_seen_),
         soci::use(at_), soci::use(snapshot_), soci::use(at_), soci::use(at_)));
  }
  insert_ticket_->execute(true);

  long long id = 0;
  if (!sql_.get_last_insert_id("tickets", id)) {
    // Backends without it: the unique partial index makes the key's
    // non-resolved ticket this one.
    if (!select_new_id_) {
      select_new_id_.emplace((sql_.prepare << "SELECT id FROM tickets WHERE violation_key = :key"
                                              " AND status <> 'resolved'",
                              soci::into(id_), soci::use(key_)));
    }
    select_new_id_->execute(true);
    id = id_;
  }

  add_event(id, "", "open", ticket.message);
  notify(id, ticket.severity, NotifyEvent::opened, ticket.message);
  return {TicketChange::Kind::opened, id, check_, ticket.subject};
}

void BatchWriter::bump(const OpenTicketRef& ticket, const std::string& message, Severity severity,
                       const std::string& metric_snapshot) {
  id_ = ticket.id;
  message_ = message;
  severity_ = std::string(to_string(severity));
  snapshot_ = metric_snapshot.empty() ? "{}" : metric_snapshot;
  if (!bump_) {
    bump_.emplace((sql_.prepare << "UPDATE tickets SET occurrence_count = occurrence_count + 1,"
                                   " last_seen_at = :last, message = :message,"
                                   " severity = :severity, metric_snapshot = :snapshot,"
                                   " updated_at = :updated WHERE id = :id",
                   soci::use(at_), soci::use(message_), soci::use(severity_), soci::use(snapshot_),
                   soci::use(at_), soci::use(id_)));
  }
  bump_->execute(true);
  if (ticket.severity != severity_) {
    const std::string note = "severity " + ticket.severity + " -> " + severity_;
    add_event(ticket.id, ticket.status, "updated", note);
    notify(ticket.id, severity, NotifyEvent::severity_changed, note);
  }
  seen_again(ticket);
}

TicketChange BatchWriter::resolve(const OpenTicketRef& ticket, const std::string& note) {
  id_ = ticket.id;
  if (!resolve_) {
    resolve_.emplace((sql_.prepare << std::string("UPDATE tickets SET status = 'resolved',"
                                                  " resolved_at = :at, updated_at = :updated, ") +
                                          kClearUnknown + " WHERE id = :id",
                      soci::use(at_), soci::use(at_), soci::use(id_)));
  }
  resolve_->execute(true);
  add_event(ticket.id, ticket.status, "resolved", note);
  if (!ticket.flapping) {
    notify(ticket.id, parse_severity(ticket.severity).value_or(Severity::warning),
           NotifyEvent::resolved, note);
  }
  return {TicketChange::Kind::resolved, ticket.id, check_, ticket.subject};
}

void BatchWriter::keep_unknown(const OpenTicketRef& ticket, const std::string& reason,
                               std::chrono::milliseconds interval) {
  id_ = ticket.id;
  unknown_since_ = ticket.unknown_since.value_or(at_);
  reason_ = reason;
  if (!note_unknown_) {
    note_unknown_.emplace(
        (sql_.prepare << "UPDATE tickets SET unknown_since = :since, unknown_at = :at,"
                         " unknown_reason = :reason WHERE id = :id",
         soci::use(unknown_since_), soci::use(at_), soci::use(reason_), soci::use(id_)));
  }
  note_unknown_->execute(true);
  if (ticket.unknown || at_ - unknown_since_ < interval.count()) return;
  if (!mark_unknown_) {
    mark_unknown_.emplace(
        (sql_.prepare << "UPDATE tickets SET unknown = 1, updated_at = :updated WHERE id = :id",
         soci::use(at_), soci::use(id_)));
  }
  mark_unknown_->execute(true);
  add_event(ticket.id, ticket.status, kUnknownEvent, reason);
}

void BatchWriter::seen_again(const OpenTicketRef& ticket) {
  if (!ticket.unknown_since) return;
  id_ = ticket.id;
  if (!clear_unknown_) {
    // The mark going is a change of the ticket; the streak alone is not.
    // (Every SET reads the row as it was.)
    clear_unknown_.emplace(
        (sql_.prepare << std::string("UPDATE tickets SET updated_at = CASE WHEN unknown = 1"
                                     " THEN :updated ELSE updated_at END, ") +
                             kClearUnknown + " WHERE id = :id",
         soci::use(at_), soci::use(id_)));
  }
  clear_unknown_->execute(true);
  if (ticket.unknown) add_event(ticket.id, ticket.status, kSeenAgainEvent, kSeenAgainNote);
}

void BatchWriter::add_pending(const std::string& key, const std::string& subject,
                              long long first_seen) {
  key_ = key;
  subject_ = subject;
  first_seen_ = first_seen;
  if (!insert_pending_) {
    insert_pending_.emplace(
        (sql_.prepare << "INSERT INTO pending_violations (violation_key, target, check_name,"
                         " subject, first_seen_at, last_seen_at)"
                         " VALUES (:key, :target, :check, :subject, :first, :last)",
         soci::use(key_), soci::use(target_), soci::use(check_), soci::use(subject_),
         soci::use(first_seen_), soci::use(at_)));
  }
  insert_pending_->execute(true);
}

void BatchWriter::touch_pending(const std::string& key) {
  key_ = key;
  if (!touch_pending_) {
    touch_pending_.emplace((sql_.prepare << "UPDATE pending_violations SET last_seen_at = :at"
                                            " WHERE violation_key = :key",
                            soci::use(at_), soci::use(key_)));
  }
  touch_pending_->execute(true);
}

void BatchWriter::forget_pending(const std::string& key) {
  key_ = key;
  if (!delete_pending_) {
    delete_pending_.emplace(
        (sql_.prepare << "DELETE FROM pending_violations WHERE violation_key = :key",
         soci::use(key_)));
  }
  delete_pending_->execute(true);
}

void BatchWriter::add_event(long long ticket_id, const std::string& from, const std::string& to,
                            const std::string& note) {
  id_ = ticket_id;
  from_ = from;
  to_ = to;
  note_ = note;
  if (!insert_event_) {
    insert_event_.emplace(
        (sql_.prepare << "INSERT INTO ticket_events (ticket_id, at, actor, from_status, to_status,"
                         " note) VALUES (:ticket, :at, :actor, :from, :to, :note)",
         soci::use(id_), soci::use(at_), soci::use(actor_), soci::use(from_), soci::use(to_),
         soci::use(note_)));
  }
  insert_event_->execute(true);
}

void BatchWriter::notify(long long ticket_id, Severity severity, NotifyEvent event,
                         const std::string& note) {
  outbox_.add({ticket_id, target_, check_, severity, event, from_ms(at_), actor_, note});
}

}  // namespace opr::tickets
