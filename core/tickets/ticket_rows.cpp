#include "tickets/ticket_rows.h"

#include <limits>

namespace opr::tickets {

const char* const kFlappingColumn =
    "CASE WHEN flapping_stopped_at IS NULL THEN flapping ELSE 0 END";

const char* const kTicketColumns =
    "id, violation_key, target, check_name, subject, status, held,"
    " CASE WHEN flapping_stopped_at IS NULL THEN flapping ELSE 0 END, severity, message,"
    " batch_key, occurrence_count, first_seen_at, last_seen_at, resolved_at, diagnosis,"
    " metric_snapshot, created_at, updated_at, unknown, unknown_since, unknown_at, unknown_reason,"
    " acknowledged_until";

const char* const kClearUnknown =
    "unknown = 0, unknown_since = NULL, unknown_at = NULL, unknown_reason = NULL";

long long to_ms(TimePoint time) { return time.time_since_epoch().count(); }
TimePoint from_ms(long long ms) { return TimePoint(std::chrono::milliseconds(ms)); }

Status status_column(const std::string& text) { return parse_status(text).value_or(Status::open); }

Severity severity_column(const std::string& text) {
  return parse_severity(text).value_or(Severity::warning);
}

std::string snapshot_column(const std::string& snapshot) {
  return snapshot.empty() ? "{}" : snapshot;
}

void TicketRow::bind(soci::statement& statement) {
  statement.exchange(soci::into(id));
  statement.exchange(soci::into(violation_key));
  statement.exchange(soci::into(target));
  statement.exchange(soci::into(check));
  statement.exchange(soci::into(subject));
  statement.exchange(soci::into(status));
  statement.exchange(soci::into(held));
  statement.exchange(soci::into(flapping));
  statement.exchange(soci::into(severity));
  statement.exchange(soci::into(message));
  statement.exchange(soci::into(batch_key));
  statement.exchange(soci::into(occurrence_count));
  statement.exchange(soci::into(first_seen_at));
  statement.exchange(soci::into(last_seen_at));
  statement.exchange(soci::into(resolved_at, resolved_at_indicator));
  statement.exchange(soci::into(diagnosis, diagnosis_indicator));
  statement.exchange(soci::into(metric_snapshot));
  statement.exchange(soci::into(created_at));
  statement.exchange(soci::into(updated_at));
  statement.exchange(soci::into(unknown));
  statement.exchange(soci::into(unknown_since, unknown_since_indicator));
  statement.exchange(soci::into(unknown_at, unknown_at_indicator));
  statement.exchange(soci::into(unknown_reason, unknown_reason_indicator));
  statement.exchange(soci::into(acknowledged_until, acknowledged_until_indicator));
}

Ticket TicketRow::to_ticket() const {
  Ticket ticket;
  ticket.id = id;
  ticket.violation_key = violation_key;
  ticket.target = target;
  ticket.check = check;
  ticket.subject = subject;
  ticket.status = status_column(status);
  ticket.held = held != 0;
  ticket.flapping = flapping != 0;
  ticket.severity = severity_column(severity);
  ticket.message = message;
  ticket.batch_key = batch_key;
  ticket.occurrence_count = occurrence_count;
  ticket.first_seen_at = from_ms(first_seen_at);
  ticket.last_seen_at = from_ms(last_seen_at);
  if (resolved_at_indicator == soci::i_ok) ticket.resolved_at = from_ms(resolved_at);
  if (diagnosis_indicator == soci::i_ok) ticket.diagnosis = diagnosis;
  ticket.metric_snapshot = snapshot_column(metric_snapshot);
  ticket.created_at = from_ms(created_at);
  ticket.updated_at = from_ms(updated_at);
  ticket.unknown = unknown != 0;
  if (unknown_since_indicator == soci::i_ok) ticket.unknown_since = from_ms(unknown_since);
  if (unknown_at_indicator == soci::i_ok) ticket.unknown_at = from_ms(unknown_at);
  if (unknown_reason_indicator == soci::i_ok) ticket.unknown_reason = unknown_reason;
  // Only an acknowledged ticket has an acknowledgement to end: the monitor's
  // auto-resolve leaves the column as it was.
  if (acknowledged_until_indicator == soci::i_ok && ticket.status == Status::acknowledged) {
    ticket.acknowledged_until = from_ms(acknowledged_until);
  }
  return ticket;
}

void EventRow::bind(soci::statement& statement) {
  statement.exchange(soci::into(id));
  statement.exchange(soci::into(ticket_id));
  statement.exchange(soci::into(at));
  statement.exchange(soci::into(actor));
  statement.exchange(soci::into(from_status));
  statement.exchange(soci::into(to_status));
  statement.exchange(soci::into(note));
}

TicketEvent EventRow::to_event() const {
  return TicketEvent{id, ticket_id, from_ms(at), actor, from_status, to_status, note};
}

const char* const kNotificationColumns =
    "id, uid, receiver, ticket_id, event, payload, state, attempts, next_attempt_at, last_error,"
    " created_at, delivered_at";

void NotificationRow::bind(soci::statement& statement) {
  statement.exchange(soci::into(id));
  statement.exchange(soci::into(uid));
  statement.exchange(soci::into(receiver));
  statement.exchange(soci::into(ticket_id));
  statement.exchange(soci::into(event));
  statement.exchange(soci::into(payload));
  statement.exchange(soci::into(state));
  statement.exchange(soci::into(attempts));
  statement.exchange(soci::into(next_attempt_at));
  statement.exchange(soci::into(last_error, last_error_indicator));
  statement.exchange(soci::into(created_at));
  statement.exchange(soci::into(delivered_at, delivered_at_indicator));
}

Notification NotificationRow::to_notification() const {
  Notification notification;
  notification.id = id;
  notification.uid = uid;
  notification.receiver = receiver;
  notification.ticket_id = ticket_id;
  notification.event = parse_notify_event(event).value_or(NotifyEvent::opened);
  notification.payload = payload;
  notification.state = parse_delivery_state(state).value_or(DeliveryState::pending);
  notification.attempts = attempts;
  notification.next_attempt_at = from_ms(next_attempt_at);
  if (last_error_indicator == soci::i_ok) notification.last_error = last_error;
  notification.created_at = from_ms(created_at);
  if (delivered_at_indicator == soci::i_ok) notification.delivered_at = from_ms(delivered_at);
  return notification;
}

namespace {

// The row of `table` with `id`, fetched into `row`; false when there is none.
template <typename Row>
bool read_row(soci::session& sql, Row& row, const char* columns, const char* table, long long id) {
  soci::statement select(sql);
  row.bind(select);
  select.exchange(soci::use(id));
  select.alloc();
  select.prepare(std::string("SELECT ") + columns + " FROM " + table + " WHERE id = :id");
  select.define_and_bind();
  return select.execute(true);
}

}  // namespace

TicketReader::TicketReader(soci::session& sql) : select_(sql) {
  bound_.row.bind(select_);
  select_.exchange(soci::use(bound_.id));
  select_.alloc();
  select_.prepare(std::string("SELECT ") + kTicketColumns + " FROM tickets WHERE id = :id");
  select_.define_and_bind();
}

std::optional<Ticket> TicketReader::read(long long id) {
  bound_.id = id;
  if (!select_.execute(true)) return std::nullopt;
  return bound_.row.to_ticket();
}

std::optional<Ticket> read_ticket(soci::session& sql, long long id) {
  TicketRow row;
  if (!read_row(sql, row, kTicketColumns, "tickets", id)) return std::nullopt;
  return row.to_ticket();
}

std::optional<Silence> read_silence(soci::session& sql, long long id) {
  SilenceRow row;
  if (!read_row(sql, row, kSilenceColumns, "silences", id)) return std::nullopt;
  return row.to_silence();
}

const char* const kSilenceColumns =
    "id, target, check_name, subject, starts_at, ends_at, author, comment, created_at, expired_by";

void SilenceRow::bind(soci::statement& statement) {
  statement.exchange(soci::into(id));
  statement.exchange(soci::into(target));
  statement.exchange(soci::into(check, check_indicator));
  statement.exchange(soci::into(subject, subject_indicator));
  statement.exchange(soci::into(starts_at));
  statement.exchange(soci::into(ends_at));
  statement.exchange(soci::into(author));
  statement.exchange(soci::into(comment));
  statement.exchange(soci::into(created_at));
  statement.exchange(soci::into(expired_by, expired_by_indicator));
}

Silence SilenceRow::to_silence() const {
  Silence silence;
  silence.id = id;
  silence.target = target;
  if (check_indicator == soci::i_ok) silence.check = check;
  if (subject_indicator == soci::i_ok) silence.subject = subject;
  silence.starts_at = from_ms(starts_at);
  silence.ends_at = from_ms(ends_at);
  silence.author = author;
  silence.comment = comment;
  silence.created_at = from_ms(created_at);
  if (expired_by_indicator == soci::i_ok) silence.expired_by = expired_by;
  return silence;
}

std::vector<Silence> read_silences(soci::session& sql, std::optional<TimePoint> ending_after,
                                   const std::optional<std::string>& target) {
  std::vector<Silence> silences;
  SilenceRow row;
  long long after = ending_after ? to_ms(*ending_after) : std::numeric_limits<long long>::min();
  std::string wanted = target.value_or("");
  soci::statement select(sql);
  row.bind(select);
  select.exchange(soci::use(after));
  if (target) select.exchange(soci::use(wanted));
  select.alloc();
  select.prepare(std::string("SELECT ") + kSilenceColumns + " FROM silences WHERE ends_at > :at" +
                 (target ? " AND target = :target" : "") + " ORDER BY id");
  select.define_and_bind();
  select.execute();
  while (select.fetch()) silences.push_back(row.to_silence());
  return silences;
}

void mark_silenced(soci::session& sql, std::span<Ticket> tickets, TimePoint now) {
  bool any_open = false;
  for (const Ticket& ticket : tickets) any_open = any_open || ticket.status != Status::resolved;
  if (!any_open) return;
  const std::vector<Silence> silences = read_silences(sql, now);
  if (silences.empty()) return;
  for (Ticket& ticket : tickets) {
    if (ticket.status == Status::resolved) continue;
    if (const Silence* silence =
            covering_silence(silences, ticket.target, ticket.check, ticket.subject, now)) {
      ticket.silenced_by = silence->id;
    }
  }
}

}  // namespace opr::tickets
