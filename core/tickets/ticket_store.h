// The ticket database: a SOCI session over SQLite (or any SQL server SOCI
// speaks), migrated forward when opened. Shared by the engine and the CLI.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tickets/open_ticket_counts.h"
#include "tickets/outbox.h"
#include "tickets/silence.h"
#include "tickets/ticket.h"

namespace opr::tickets {

// Refused changes and lookups of tickets that do not exist. what() is a
// sentence for the user, e.g. "ticket 7 is resolved; resolved is final".
class TicketError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A database that could not be opened or migrated.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One violation reported by a successful run, before grace is applied.
struct ObservedViolation {
  std::string subject;
  std::string message;
  Severity severity = Severity::warning;
  std::string metric_snapshot = "{}";  // JSON object text
  std::chrono::milliseconds grace{0};
};

// A subject that a successful run could not evaluate (ABI 1.2 run_unknown).
struct UnknownSubject {
  std::string subject;
  std::string reason;
};

// The result of a successful run of one target/check.
struct SuccessfulRun {
  std::string target;
  std::string check;
  TimePoint at;
  std::string batch_key;                      // given to tickets opened by this run
  std::vector<ObservedViolation> violations;  // the whole current truth of what it saw
  // Subjects the run could not see: kept exactly as they were.
  std::vector<UnknownSubject> unknown;
  // The check's interval: a ticket whose subject has been unknown at least
  // this long is marked unknown.
  std::chrono::milliseconds interval{0};
};

// A reported violation still inside its grace: no ticket until `until`.
struct InGrace {
  std::string subject;
  TimePoint until;
};

// A cause ticket (FailedRun::cause) that a run opened or resolved, for the
// monitor's log.
struct CauseChange {
  int64_t ticket_id = 0;
  std::string cause;
  std::vector<std::string> blocks;  // the checks failing for it (opened only)
};

// A ticket that a run opened, reopened (its key had resolved within the
// flapping window) or resolved: what the monitor's log names.
struct TicketChange {
  enum class Kind { opened, reopened, resolved };
  Kind kind = Kind::opened;
  int64_t id = 0;
  std::string check;  // the run's check, or its `check:failed`
  std::string subject;
};

struct ApplyOutcome {
  int opened = 0;   // new tickets (reopened ones included)
  int updated = 0;  // open tickets seen again
  // Auto-resolved: includes the check's :failed ticket, and cause tickets
  // that no check of the target fails for any more.
  int resolved = 0;
  int pending = 0;                // violations still inside their grace
  std::vector<InGrace> in_grace;  // which, and until when (`--once` shows them)
  int held_kept = 0;              // would have resolved, but held
  // Open tickets and pending violations left as they were because their
  // subject was unknown.
  int unknown = 0;
  // apply_failure: failures in a row, this one included (0 from apply_success).
  int consecutive_failures = 0;
  // Every ticket opened, reopened or resolved, in the order it was: one
  // entry per change, none for a ticket only seen again (so a run that
  // changes nothing costs nothing here, however many tickets it sees).
  std::vector<TicketChange> changes;
  std::vector<CauseChange> causes_opened;    // apply_failure with a cause
  std::vector<CauseChange> causes_resolved;  // either
};

// A run of target/check that could not evaluate.
struct FailedRun {
  std::string target;
  std::string check;
  std::string error;
  // The dependency the failure is due to (ABI 1.3), e.g. "pd:http://pd:2379";
  // "" for none. With one, the failure counts toward the target's ticket
  // for that cause (check ":failed", subject the cause) instead of the
  // check's own :failed ticket.
  std::string cause;
  // The host ended the run at its timeout, and `cause` is empty: the run
  // says nothing of why, so it counts for the cause of the streak the
  // database holds (the engine remembers it too, but not across a restart
  // or a move of the target to another host).
  bool ended_at_timeout = false;
  // Open the check's :failed (or the cause's) ticket at this many failures
  // in a row (of this check, for this cause).
  int threshold = 3;
  // Of the :failed ticket (the engine passes the check's severity or
  // failed_severity).
  Severity severity = Severity::warning;
  TimePoint at;
};

// The orders `tickets list` offers, each newest first (severity: worst
// first, then newest), with the id breaking ties so that pages are stable.
enum class ListSort { id, first_seen, last_seen, severity };

struct ListFilter {
  std::vector<Status> statuses;   // empty: every non-resolved status
  bool include_resolved = false;  // --all
  std::optional<std::string> target;
  std::optional<std::string> check;
  std::optional<std::string> subject;        // exact
  std::optional<Severity> min_severity;      // this severity and worse
  std::optional<TimePoint> last_seen_since;  // last seen at or after
  ListSort sort = ListSort::id;
  std::optional<int64_t> limit;
  std::optional<int64_t> offset;  // skip this many first (paging)
};

struct StoreOptions {
  // A ticket that reopens this many times within the window is flagged
  // flapping. The window is also how recently a ticket must have resolved
  // for its violation's return to reopen it, and how long a flapping
  // ticket must go without reopening to lose the flag.
  int flapping_threshold = 3;
  std::chrono::milliseconds flapping_window{3600 * 1000};
  // Who hears of which ticket events (tickets/outbox.h); null: nobody, and
  // no notification is written.
  std::shared_ptr<const NotificationRouter> router;
};

class TicketStore {
 public:
  // `connection`: "sqlite3://db=PATH", another SOCI connection string, or a
  // bare path meaning sqlite3. Creates the file (mode 0600) and its folder
  // when missing, sets WAL, busy timeout and foreign keys, and migrates.
  // Throws StoreError.
  static std::unique_ptr<TicketStore> open(const std::string& connection,
                                           StoreOptions options = {});
  virtual ~TicketStore() = default;

  static constexpr int kSchemaVersion = 6;

  // Replaces the options given to open() for every later apply (a config
  // reload: flapping settings take effect at once).
  virtual void set_options(const StoreOptions& options) = 0;

  // Several hosts on one PostgreSQL database (cluster/): from now on
  // apply_success and apply_failure write only while `host` holds the
  // lease of the run's target, checked inside their transaction, and throw
  // LeaseLost (tickets/lease_fence.h) when it does not. Not called on
  // SQLite: one host there, and no lease.
  virtual void fence_results(const std::string& host) = 0;

  // ---- engine side (actor "monitor"), each call one transaction ----

  // Applies grace (pending violations are stored, so grace survives
  // restarts), opens or updates tickets for violations past their grace
  // (a key whose ticket resolved within the flapping window reopens it),
  // forgets pending violations no longer reported, auto-resolves the open,
  // not held tickets of this target/check that were not reported, ends the
  // check's failure streak and resolves its open `check:failed` ticket.
  // A subject among `unknown` (and not reported) keeps what it had: its
  // open ticket stays as it was, but for the time and reason of its unknown
  // streak (marked unknown once the streak lasts `interval`), and its
  // pending violation keeps its first sight. A subject reported or seen
  // healthy ends its ticket's unknown streak. A cause ticket of the target
  // that no check fails for any more resolves.
  virtual ApplyOutcome apply_success(const SuccessfulRun& run) = 0;

  // Counts the failure in the database (so a restart, or a series of
  // `--once` processes, counts on where the last left off); a failure for
  // another cause than the streak's (or none after one) starts a new
  // streak. Without a cause: when the count reaches run.threshold, opens
  // (or bumps) the `check:failed` ticket with run.error as its message and
  // run.severity. With a cause: bumps the target's open ticket of that
  // cause, or opens it when the count reaches run.threshold; its message
  // and snapshot list the checks it blocks (those whose streak has that
  // cause), its severity is the most severe of theirs. Nothing else
  // resolves but cause tickets that no check fails for any more (this one
  // failed for another cause, or for none).
  virtual ApplyOutcome apply_failure(const FailedRun& run) = 0;

  // Clears the flapping flag of every ticket (resolved or not) that has not
  // reopened for the flapping window before `now`: a "flapping_cleared"
  // event on it and its "flapping_stopped" notifications. Returns the ids
  // of the tickets that stopped flapping, for the log. Cheap when none did
  // (no write lock).
  virtual std::vector<int64_t> stop_flapping(TimePoint now) = 0;

  // Re-notifies each open ticket (not acknowledged, diagnosed or flapping;
  // any non-resolved one for a receiver that repeats until resolved) whose
  // last notification to a receiver with a repeat interval is at least
  // that old, if the receiver still matches it: one `repeated`
  // notification each, replacing the delivered repeats of that ticket to
  // that receiver (only the latest is kept). The first call after open()
  // or set_options() also tells each repeating receiver of the tickets it
  // never heard of (one added to the config while they were open) that it
  // would repeat. Returns how many were written. Cheap when no receiver repeats (nothing read) or
  // nothing is due (no write lock).
  virtual int repeat_notifications(TimePoint now) = 0;

  // Every change that receivers care about writes, in its own transaction,
  // one outbox row per receiver the router picks (tickets/outbox.h):
  // opened (a reopen too: the ticket fires again), severity changed,
  // acknowledged, diagnosed, resolved (by the monitor or a person),
  // acknowledgement expired. A flapping ticket notifies when its flapping
  // starts (the reopen that flags it) and stops (stop_flapping); the
  // reopens and the monitor's resolves in between notify nobody.

  // ---- the sender's side of the outbox ----
  // `listener` is called, on the writing thread and after the commit, by
  // every write of the engine's or a person's that may have put
  // notifications in the outbox (while a router is set): the monitor wakes
  // its senders with it instead of making them poll often. It must be quick
  // and must not call the store.
  virtual void set_outbox_listener(std::function<void()> listener) = 0;
  // Pending notifications due by `now`, the earliest due first, at most
  // `limit`: those of diagnosis hooks ("hook:NAME") with `hooks`, the
  // others without (each has its own sender, so a slow hook never delays a
  // page).
  virtual std::vector<Notification> due_notifications(TimePoint now, int limit,
                                                      bool hooks = false) = 0;
  // An attempt at `at` delivered notification `id`.
  virtual void record_delivered(int64_t id, TimePoint at) = 0;
  // An attempt failed with `error`: tried again at `retry_at`, or, when
  // that is nullopt, failed for good.
  virtual void record_failed_attempt(int64_t id, const std::string& error,
                                     std::optional<TimePoint> retry_at) = 0;

  // Silenced: the ticket of notification `id` is covered by `silence_id`
  // (the sender checks before each attempt), so it is never sent.
  virtual void record_silenced(int64_t id, int64_t silence_id) = 0;
  // The silence covering `ticket` (as read) at `now`, if any.
  virtual std::optional<int64_t> silence_of(const Ticket& ticket, TimePoint now) = 0;

  // ---- silences (tickets/silence.h); throw TicketError when refused ----
  // Stores `silence` (its id and created_at are assigned) and returns it.
  // Refused when it ends before it starts or is already over at `now`.
  virtual Silence add_silence(const Silence& silence, TimePoint now) = 0;
  // Those still to end at `now` (with `include_expired`, all), newest first.
  virtual std::vector<Silence> silences(TimePoint now, bool include_expired) = 0;
  // Ends silence `id` at `now`, recording `actor`. Refused when there is no
  // such silence or it has already ended.
  virtual Silence expire_silence(int64_t id, const std::string& actor, TimePoint now) = 0;

  // Reopens each acknowledged ticket whose acknowledgement ended by `now`
  // (acknowledge's `until`): status open, an "acknowledgement expired"
  // event and its notification. Returns their ids. The monitor calls
  // it every cycle, so the expiry happens with nobody at the CLI; a
  // person's change of such a ticket reopens it first. Cheap when none is
  // due (no write lock).
  virtual std::vector<int64_t> expire_acknowledgements(TimePoint now) = 0;

  // ---- people's side (CLI); throw TicketError when refused ----
  // `until`: the acknowledgement ends then (expire_acknowledgements).
  virtual Ticket acknowledge(int64_t id, const std::string& actor, const std::string& note,
                             std::optional<TimePoint> until = std::nullopt) = 0;
  virtual Ticket diagnose(int64_t id, const std::string& actor, const std::string& diagnosis) = 0;
  virtual Ticket resolve(int64_t id, const std::string& actor, const std::string& note) = 0;
  virtual Ticket hold(int64_t id, const std::string& actor, const std::string& note) = 0;
  virtual Ticket unhold(int64_t id, const std::string& actor, const std::string& note) = 0;
  // An event on ticket `id`'s timeline that changes nothing, e.g. a
  // diagnosis hook that failed: `what` is shown as the change.
  virtual void add_event(int64_t id, const std::string& actor, const std::string& what,
                         const std::string& note) = 0;

  // ---- reads ----
  virtual std::optional<Ticket> get(int64_t id) = 0;
  virtual std::vector<Ticket> list(const ListFilter& filter) = 0;  // newest first
  virtual std::vector<TicketEvent> events(int64_t ticket_id) = 0;  // oldest first
  virtual int64_t count_open() = 0;                                // non-resolved tickets
  // Non-resolved tickets by target, check and severity.
  virtual std::vector<OpenTicketCount> open_ticket_counts() = 0;
  // The outbox rows of a ticket, oldest first.
  virtual std::vector<Notification> notifications(int64_t ticket_id) = 0;
};

// The person for the audit trail: SUDO_USER when running as root through
// sudo (real uid 0, SUDO_USER set and not "root"), else the login name of
// the effective user ("unknown" when it cannot be found).
std::string current_user_name();

}  // namespace opr::tickets
