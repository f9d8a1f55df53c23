// The monitor's side of the store: runs become tickets.
#include <soci/soci.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/subject_reports.h"
#include "tickets/batch_writer.h"
#include "tickets/cached_queries.h"
#include "tickets/cause_tickets.h"
#include "tickets/lease_fence.h"
#include "tickets/soci_ticket_store.h"
#include "tickets/ticket_rows.h"
#include "tickets/write_transaction.h"

namespace opr::tickets {

namespace {

constexpr const char* kNoLongerReported = "auto-resolved: no longer reported";
constexpr const char* kCheckSucceeded = "auto-resolved: the check succeeded again";

// The items of one run that count (subject_reports.h: one per subject) by
// violation key, in the order their subjects first appear.
template <typename Item>
struct ByKey {
  std::unordered_map<std::string, const Item*> items;
  std::vector<std::string> order;

  ByKey(const std::string& target, const std::string& check, const std::vector<Item>& all,
        const std::vector<size_t>& kept) {
    items.reserve(kept.size());
    order.reserve(kept.size());
    for (size_t i : kept) {
      std::string key = violation_key(target, check, all[i].subject);
      items.emplace(key, &all[i]);
      order.push_back(std::move(key));
    }
  }
  const Item* find(const std::string& key) const {
    if (items.empty()) return nullptr;  // most runs name no unknown subject: no hashing
    const auto found = items.find(key);
    return found == items.end() ? nullptr : found->second;
  }
};

// One more failure of target/check in a row; returns how many that makes.
// A failure for another cause than the streak's starts a new streak: the
// count is of failures for one cause ("" for none).
int count_failure(soci::session& sql, const FailedRun& run) {
  const long long at = to_ms(run.at);
  const std::string severity(to_string(run.severity));
  sql << "INSERT INTO check_failures (target, check_name, consecutive, first_failed_at,"
         " last_failed_at, last_error, cause, severity)"
         " VALUES (:target, :check, 1, :first, :last, :error, :cause, :severity)"
         " ON CONFLICT (target, check_name) DO UPDATE SET"
         " consecutive = CASE WHEN check_failures.cause = excluded.cause"
         "  THEN check_failures.consecutive + 1 ELSE 1 END,"
         " first_failed_at = CASE WHEN check_failures.cause = excluded.cause"
         "  THEN check_failures.first_failed_at ELSE excluded.first_failed_at END,"
         " last_failed_at = excluded.last_failed_at, last_error = excluded.last_error,"
         " cause = excluded.cause, severity = excluded.severity",
      soci::use(run.target), soci::use(run.check), soci::use(at), soci::use(at),
      soci::use(run.error), soci::use(run.cause), soci::use(severity);
  int consecutive = 0;
  sql << "SELECT consecutive FROM check_failures WHERE target = :target AND check_name = :check",
      soci::into(consecutive), soci::use(run.target), soci::use(run.check);
  return consecutive;
}

// The cause of target/check's failure streak ("" for none, or no streak).
std::string streak_cause(soci::session& sql, const FailedRun& run) {
  std::string cause;
  sql << "SELECT cause FROM check_failures WHERE target = :target AND check_name = :check",
      soci::into(cause), soci::use(run.target), soci::use(run.check);
  return sql.got_data() ? cause : std::string();
}

// A success ends the failure streak of target/check; returns whether the
// streak had a cause (whose ticket may then have nothing left to block).
bool end_failure_streak(soci::session& sql, const std::string& target, const std::string& check) {
  std::string cause;
  sql << "SELECT cause FROM check_failures WHERE target = :target AND check_name = :check",
      soci::into(cause), soci::use(target), soci::use(check);
  if (!sql.got_data()) return false;
  sql << "DELETE FROM check_failures WHERE target = :target AND check_name = :check",
      soci::use(target), soci::use(check);
  return !cause.empty();
}

}  // namespace

ApplyOutcome SociTicketStore::apply_success(const SuccessfulRun& run) {
  const auto lock = lock_connection();
  try {
    ApplyOutcome outcome;
    // Most runs pass with nothing open, pending or failing: they change
    // nothing (an unknown subject with nothing to keep included), so they
    // neither take the database's write lock (a CLI user's command never
    // waits for them) nor pay for a transaction.
    if (run.violations.empty() && !queries_->has_open_state(run.target, run.check)) return outcome;
    WriteTransaction transaction(*sql_);
    if (fence_host_) check_lease(*sql_, run.target, *fence_host_);
    BatchWriter writer(*sql_, run.target, run.check, run.at, options_);
    const auto open = writer.open_tickets();
    const auto pending = writer.pending();
    const long long now = to_ms(run.at);
    const ByKey<ObservedViolation> reported(run.target, run.check, run.violations,
                                            last_per_subject(run.violations));
    const ByKey<UnknownSubject> unknown(run.target, run.check, run.unknown,
                                        unknown_not_reported(run.unknown, run.violations));

    for (const std::string& key : reported.order) {
      const ObservedViolation& violation = *reported.find(key);
      const auto open_ticket = open.find(key);
      const auto pending_since = pending.find(key);
      if (open_ticket != open.end()) {
        writer.bump(open_ticket->second, violation.message, violation.severity,
                    violation.metric_snapshot);
        if (pending_since != pending.end()) writer.forget_pending(key);
        ++outcome.updated;
        continue;
      }
      const long long first_seen = pending_since != pending.end() ? pending_since->second : now;
      if (now - first_seen >= violation.grace.count()) {
        outcome.changes.push_back(
            writer.open_ticket({key, violation.subject, violation.message, violation.severity,
                                violation.metric_snapshot, run.batch_key, from_ms(first_seen)}));
        if (pending_since != pending.end()) writer.forget_pending(key);
        ++outcome.opened;
      } else {
        if (pending_since == pending.end()) {
          writer.add_pending(key, violation.subject, first_seen);
        } else {
          writer.touch_pending(key);
        }
        ++outcome.pending;
        outcome.in_grace.push_back({violation.subject, from_ms(first_seen) + violation.grace});
      }
    }

    // Grace starts over for a violation that went away; one the run could
    // not see keeps its first sight.
    for (const auto& [key, first_seen] : pending) {
      if (reported.find(key)) continue;
      if (unknown.find(key)) {
        ++outcome.unknown;
      } else {
        writer.forget_pending(key);
      }
    }
    // The open tickets the run did not report, in id order: their updates
    // then walk the table in order, not in the map's hash order (a fifth
    // less time when 10,000 are kept unknown).
    std::vector<std::pair<const OpenTicketRef*, const std::string*>> unreported;
    for (const auto& [key, ticket] : open) {
      if (!reported.find(key)) unreported.emplace_back(&ticket, &key);
    }
    std::sort(unreported.begin(), unreported.end(),
              [](const auto& a, const auto& b) { return a.first->id < b.first->id; });
    for (const auto& [ticket, key] : unreported) {
      if (const UnknownSubject* blind = unknown.find(*key)) {
        writer.keep_unknown(*ticket, blind->reason, run.interval);
        ++outcome.unknown;
      } else if (ticket->held) {
        writer.seen_again(*ticket);
        ++outcome.held_kept;
      } else {
        outcome.changes.push_back(writer.resolve(*ticket, kNoLongerReported));
        ++outcome.resolved;
      }
    }

    if (end_failure_streak(*sql_, run.target, run.check)) {
      resolve_cleared_causes(*sql_, run.target, run.at, options_, outcome);
    }
    BatchWriter failed(*sql_, run.target, failed_check_name(run.check), run.at, options_);
    for (const auto& [key, ticket] : failed.open_tickets()) {
      if (ticket.held) {
        ++outcome.held_kept;
      } else {
        outcome.changes.push_back(failed.resolve(ticket, kCheckSucceeded));
        ++outcome.resolved;
      }
    }
    transaction.commit();
    outbox_written();
    return outcome;
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

ApplyOutcome SociTicketStore::apply_failure(const FailedRun& failed) {
  const auto lock = lock_connection();
  try {
    ApplyOutcome outcome;
    WriteTransaction transaction(*sql_);
    if (fence_host_) check_lease(*sql_, failed.target, *fence_host_);
    FailedRun run = failed;
    if (run.cause.empty() && run.ended_at_timeout) run.cause = streak_cause(*sql_, run);
    outcome.consecutive_failures = count_failure(*sql_, run);
    if (!run.cause.empty()) {
      apply_cause_failure(*sql_, run, outcome.consecutive_failures, options_, outcome);
    } else if (outcome.consecutive_failures >= run.threshold) {
      const std::string snapshot =
          "{\"consecutive_failures\":" + std::to_string(outcome.consecutive_failures) +
          ",\"failure_threshold\":" + std::to_string(run.threshold) + "}";
      const std::string failed_check = failed_check_name(run.check);
      const std::string key = violation_key(run.target, failed_check, "");
      BatchWriter writer(*sql_, run.target, failed_check, run.at, options_);
      const auto open = writer.open_tickets();
      if (const auto found = open.find(key); found != open.end()) {
        writer.bump(found->second, run.error, run.severity, snapshot);
        ++outcome.updated;
      } else {
        outcome.changes.push_back(
            writer.open_ticket({key, "", run.error, run.severity, snapshot, "", run.at}));
        ++outcome.opened;
      }
    }
    // This check may have failed for another cause than its streak's.
    resolve_cleared_causes(*sql_, run.target, run.at, options_, outcome);
    transaction.commit();
    outbox_written();
    return outcome;
  } catch (const soci::soci_error& e) {
    fail(e);
  }
}

}  // namespace opr::tickets
