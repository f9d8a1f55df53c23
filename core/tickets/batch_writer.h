// The monitor's writes for one target/check inside one transaction. Each
// statement is prepared once and executed for as many rows as the run has,
// which is what keeps a 10,000-violation run fast.
#pragma once

#include <soci/soci.h>

#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>

#include "tickets/event_writer.h"
#include "tickets/outbox_writer.h"
#include "tickets/ticket.h"
#include "tickets/ticket_store.h"

namespace opr::tickets {

struct OpenTicketRef {
  long long id = 0;
  std::string subject;
  Status status = Status::open;
  bool held = false;
  bool flapping = false;
  Severity severity = Severity::warning;
  bool unknown = false;                    // marked unknown
  std::optional<long long> unknown_since;  // ms; set while its subject is unknown
};

class BatchWriter {
 public:
  BatchWriter(soci::session& sql, std::string target, std::string check, TimePoint at,
              const StoreOptions& options);
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // The non-resolved tickets of this target/check, by violation key.
  std::unordered_map<std::string, OpenTicketRef> open_tickets();
  // The violations of this target/check inside their grace: key -> first seen (ms).
  std::unordered_map<std::string, long long> pending();

  struct NewTicket {
    std::string key;
    std::string subject;
    std::string message;
    Severity severity = Severity::warning;
    std::string metric_snapshot;
    std::string batch_key;
    TimePoint first_seen;
  };
  // The key's ticket, open again: the one resolved within the flapping
  // window if there is one (reopen), else a new one with its events.
  // Notifies "opened" (a new ticket, or a reopened one: to receivers it
  // fires again), or "flapping started" when this reopen flags it flapping;
  // a flapping ticket's reopens notify nobody. Returns what changed.
  TicketChange open_ticket(const NewTicket& ticket);
  // Seen again: one more occurrence, fresh message, severity and snapshot;
  // its unknown streak ends (seen_again). A new severity notifies.
  void bump(const OpenTicketRef& ticket, const std::string& message, Severity severity,
            const std::string& metric_snapshot);
  // Resolved, its unknown streak ended. Notifies unless it is flapping.
  // Returns what changed.
  TicketChange resolve(const OpenTicketRef& ticket, const std::string& note);
  // This run could not see the ticket's subject: nothing of the ticket
  // changes but its unknown streak (since when, last time, why). Once the
  // streak has lasted `interval`, the ticket is marked unknown, once.
  void keep_unknown(const OpenTicketRef& ticket, const std::string& reason,
                    std::chrono::milliseconds interval);
  // This run saw the ticket's subject (reported it, or found it healthy
  // but the ticket is held): its unknown streak, if any, ends, with a
  // "seen again" event when it was marked.
  void seen_again(const OpenTicketRef& ticket);

  void add_pending(const std::string& key, const std::string& subject, long long first_seen);
  void touch_pending(const std::string& key);
  void forget_pending(const std::string& key);

 private:
  void notify(long long ticket_id, Severity severity, NotifyEvent event, const std::string& note);

  // The key's latest ticket, when it resolved within the flapping window.
  struct RecentlyResolved {
    long long id = 0;
    bool flapping = false;
    Severity severity = Severity::warning;
  };
  std::optional<RecentlyResolved> resolved_lately(const std::string& key);
  // batch_writer_reopen.cpp: `recent` open again, one more occurrence.
  long long reopen(const RecentlyResolved& recent, const NewTicket& ticket);
  // How often ticket `id` reopened within the flapping window.
  long long reopens_in_window(long long id);

  soci::session& sql_;
  const std::string target_;
  const std::string check_;
  const long long at_;
  const StoreOptions options_;
  const std::string actor_ = kMonitorActor;

  // Each statement next to the variables it alone is bound to (besides the
  // constants above), prepared at its first use and executed per row.
  struct InsertTicket {
    std::string key, subject, severity, message, batch_key, snapshot;
    long long first_seen = 0;
    long long id = 0;  // the new ticket: insert's RETURNING, or select_id's
    std::optional<soci::statement> insert, select_id;
  } insert_ticket_;
  struct Bump {
    long long id = 0;
    std::string message, severity, snapshot;
    std::optional<soci::statement> statement;
  } bump_;
  // The updates of one ticket that bind nothing but its id.
  struct ById {
    long long id = 0;
    std::optional<soci::statement> statement;
  } resolve_, mark_unknown_, clear_unknown_;
  struct NoteUnknown {
    long long id = 0, since = 0;
    std::string reason;
    std::optional<soci::statement> statement;
  } note_unknown_;
  struct AddPending {
    std::string key, subject;
    long long first_seen = 0;
    std::optional<soci::statement> statement;
  } add_pending_;
  // The writes of one pending violation that bind nothing but its key.
  struct PendingKey {
    std::string key;
    std::optional<soci::statement> statement;
  } touch_pending_, forget_pending_;
  // batch_writer_reopen.cpp's.
  struct Reopen {
    long long id = 0;
    int flapping = 0;
    std::string message, severity, snapshot;
    std::optional<soci::statement> statement;
  } reopen_;
  struct CountReopens {
    long long id = 0, since = 0, count = 0;
    std::optional<soci::statement> statement;
  } count_reopens_;

  std::optional<std::unordered_map<std::string, RecentlyResolved>> resolved_lately_;
  EventWriter events_;
  OutboxWriter outbox_;
};

}  // namespace opr::tickets
