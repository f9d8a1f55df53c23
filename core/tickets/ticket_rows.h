// Reading tickets and events out of SOCI statements.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tickets/outbox.h"
#include "tickets/silence.h"
#include "tickets/ticket.h"

namespace opr::tickets {

// The columns of `tickets`, in the order TicketRow binds them.
extern const char* const kTicketColumns;
// The flapping flag as a column expression: tickets of older databases
// whose flapping was found stopped kept flapping = 1.
extern const char* const kFlappingColumn;
// The assignments of an UPDATE that end a ticket's unknown streak (it was
// seen again, or it resolves).
extern const char* const kClearUnknown;

long long to_ms(TimePoint time);
TimePoint from_ms(long long ms);

// A status or severity column as the model's enum, converted where the row
// is read; a value this version does not know reads as open, or warning.
Status status_column(const std::string& text);
Severity severity_column(const std::string& text);
// The metric_snapshot column of a violation's snapshot: a JSON object,
// "{}" for none.
std::string snapshot_column(const std::string& snapshot);

// The variables a statement fetches one ticket into.
struct TicketRow {
  long long id = 0;
  std::string violation_key, target, check, subject, status;
  int held = 0, flapping = 0;
  std::string severity, message, batch_key;
  long long occurrence_count = 0, first_seen_at = 0, last_seen_at = 0, resolved_at = 0;
  soci::indicator resolved_at_indicator = soci::i_null;
  std::string diagnosis;
  soci::indicator diagnosis_indicator = soci::i_null;
  std::string metric_snapshot;
  long long created_at = 0, updated_at = 0;
  int unknown = 0;
  long long unknown_since = 0, unknown_at = 0;
  soci::indicator unknown_since_indicator = soci::i_null, unknown_at_indicator = soci::i_null;
  std::string unknown_reason;
  soci::indicator unknown_reason_indicator = soci::i_null;
  long long acknowledged_until = 0;
  soci::indicator acknowledged_until_indicator = soci::i_null;

  // Adds the into() of every column to a statement not yet prepared.
  void bind(soci::statement& statement);
  Ticket to_ticket() const;
};

struct EventRow {
  long long id = 0, ticket_id = 0, at = 0;
  std::string actor, from_status, to_status, note;

  void bind(soci::statement& statement);
  TicketEvent to_event() const;
};

// The columns of `notifications`, in the order NotificationRow binds them.
extern const char* const kNotificationColumns;

struct NotificationRow {
  long long id = 0;
  std::string uid, receiver;
  long long ticket_id = 0;
  std::string event, payload, state;
  int attempts = 0;
  long long next_attempt_at = 0;
  std::string last_error;
  soci::indicator last_error_indicator = soci::i_null;
  long long created_at = 0, delivered_at = 0;
  soci::indicator delivered_at_indicator = soci::i_null;

  void bind(soci::statement& statement);
  Notification to_notification() const;
};

// The columns of `silences`, in the order SilenceRow binds them.
extern const char* const kSilenceColumns;

struct SilenceRow {
  long long id = 0;
  std::string target, check, subject;
  soci::indicator check_indicator = soci::i_null, subject_indicator = soci::i_null;
  long long starts_at = 0, ends_at = 0;
  std::string author, comment;
  long long created_at = 0;
  std::string expired_by;
  soci::indicator expired_by_indicator = soci::i_null;

  void bind(soci::statement& statement);
  Silence to_silence() const;
};

// The silences (of `target` alone, when given) that end after
// `ending_after` (nullopt: every one), oldest first.
std::vector<Silence> read_silences(soci::session& sql, std::optional<TimePoint> ending_after,
                                   const std::optional<std::string>& target = std::nullopt);

// Sets silenced_by of each of `tickets` that is not resolved and that a
// silence covers at `now`.
void mark_silenced(soci::session& sql, std::span<Ticket> tickets, TimePoint now);

// Ticket `id` as `sql` sees it now (inside a transaction: with its changes).
std::optional<Ticket> read_ticket(soci::session& sql, long long id);
// read_ticket with its statement prepared once, for a writer that reads
// many tickets in one transaction (the outbox: one per notification).
class TicketReader {
 public:
  explicit TicketReader(soci::session& sql);
  TicketReader(const TicketReader&) = delete;
  TicketReader& operator=(const TicketReader&) = delete;
  std::optional<Ticket> read(long long id);

 private:
  // What the select is bound to: the ticket's id in, its row out.
  struct Binding {
    TicketRow row;
    long long id = 0;
  } bound_;
  soci::statement select_;
};

// The same for silence `id`.
std::optional<Silence> read_silence(soci::session& sql, long long id);

}  // namespace opr::tickets
