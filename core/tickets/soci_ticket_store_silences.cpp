// Silences: stored by people (the CLI), read by the outbox writer and the
// sender before each delivery.
#include <soci/soci.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tickets/outbox_writer.h"
#include "tickets/soci_ticket_store.h"
#include "tickets/ticket_rows.h"
#include "tickets/write_transaction.h"

namespace opr::tickets {

void SociTicketStore::record_silenced(int64_t id, int64_t silence_id) {
  const auto lock = lock_connection();
  try {
    const long long row = id;
    const std::string note = silenced_note(silence_id);
    *sql_ << "UPDATE notifications SET state = 'silenced', last_error = :note"
             " WHERE id = :id AND state = 'pending'",
        soci::use(note), soci::use(row);
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

std::optional<int64_t> SociTicketStore::silence_of(const Ticket& ticket, TimePoint now) {
  const auto lock = lock_connection();
  try {
    const std::vector<Silence> silences = read_silences(*sql_, now, ticket.target);
    const Silence* silence =
        covering_silence(silences, ticket.target, ticket.check, ticket.subject, now);
    if (!silence) return std::nullopt;
    return silence->id;
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

Silence SociTicketStore::add_silence(const Silence& silence, TimePoint now) {
  if (silence.target.empty()) throw TicketError("a silence needs a target");
  if (silence.ends_at <= now) throw TicketError("that silence would already be over");
  if (silence.ends_at <= silence.starts_at) {
    throw TicketError("a silence must end after it starts");
  }
  const auto lock = lock_connection();
  try {
    WriteTransaction transaction(*sql_);
    std::string check = silence.check.value_or(""), subject = silence.subject.value_or("");
    soci::indicator check_set = silence.check ? soci::i_ok : soci::i_null;
    soci::indicator subject_set = silence.subject ? soci::i_ok : soci::i_null;
    const long long starts = to_ms(silence.starts_at), ends = to_ms(silence.ends_at);
    const long long created = to_ms(now);
    *sql_ << "INSERT INTO silences (target, check_name, subject, starts_at, ends_at, author,"
             " comment, created_at) VALUES (:target, :check, :subject, :starts, :ends, :author,"
             " :comment, :created)",
        soci::use(silence.target), soci::use(check, check_set), soci::use(subject, subject_set),
        soci::use(starts), soci::use(ends), soci::use(silence.author), soci::use(silence.comment),
        soci::use(created);
    long long id = 0;
    // The row just written is the newest: ids only grow.
    *sql_ << "SELECT MAX(id) FROM silences", soci::into(id);
    std::optional<Silence> stored = read_silence(*sql_, id);
    transaction.commit();
    return *stored;
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

std::vector<Silence> SociTicketStore::silences(TimePoint now, bool include_expired) {
  const auto lock = lock_connection();
  try {
    std::vector<Silence> found =
        read_silences(*sql_, include_expired ? std::nullopt : std::optional<TimePoint>(now));
    std::reverse(found.begin(), found.end());  // newest first
    return found;
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

Silence SociTicketStore::expire_silence(int64_t id, const std::string& actor, TimePoint now) {
  const auto lock = lock_connection();
  try {
    WriteTransaction transaction(*sql_);
    std::optional<Silence> silence = read_silence(*sql_, id);
    if (!silence) throw TicketError("no silence " + std::to_string(id));
    if (silence->ends_at <= now) {
      throw TicketError("silence " + std::to_string(id) + " has already ended");
    }
    const long long row = id;
    // One that has not begun then ends before it begins: it never holds.
    const long long ends = to_ms(now);
    *sql_ << "UPDATE silences SET ends_at = :ends, expired_by = :actor WHERE id = :id",
        soci::use(ends), soci::use(actor), soci::use(row);
    silence = read_silence(*sql_, id);
    transaction.commit();
    return *silence;
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

}  // namespace opr::tickets
