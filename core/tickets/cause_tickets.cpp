#include "tickets/cause_tickets.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "tickets/batch_writer.h"
#include "tickets/ticket_rows.h"

namespace opr::tickets {

namespace {

constexpr const char* kCauseCleared =
    "auto-resolved: every check it blocked ran again without failing for it";

// The checks of `target` whose failure streak has `cause`, by name (the
// same order in every message and log line), and the most severe of their
// severities.
struct Blocked {
  std::vector<std::string> checks;
  Severity severity = Severity::info;
};

Blocked blocked_by_cause(soci::session& sql, const std::string& target, const std::string& cause,
                         Severity fallback) {
  Blocked blocked;
  std::string check, severity;
  soci::indicator severity_indicator = soci::i_null;
  soci::statement select = (sql.prepare << "SELECT check_name, severity FROM check_failures"
                                           " WHERE target = :target AND cause = :cause"
                                           " ORDER BY check_name",
                            soci::into(check), soci::into(severity, severity_indicator),
                            soci::use(target), soci::use(cause));
  select.execute();
  while (select.fetch()) {
    blocked.checks.push_back(check);
    const Severity one =
        severity_indicator == soci::i_ok ? parse_severity(severity).value_or(fallback) : fallback;
    blocked.severity = std::max(blocked.severity, one);
  }
  return blocked;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace

void apply_cause_failure(soci::session& sql, const FailedRun& run, int consecutive,
                         const StoreOptions& options, ApplyOutcome& outcome) {
  const std::string key = violation_key(run.target, cause_check_name(), run.cause);
  BatchWriter writer(sql, run.target, cause_check_name(), run.at, options);
  const auto open = writer.open_tickets();
  const auto found = open.find(key);
  if (found == open.end() && consecutive < run.threshold) return;

  const Blocked blocked = blocked_by_cause(sql, run.target, run.cause, run.severity);
  // What fails and what it blocks first: the error differs from check to
  // check (each asks its own path), so it is the latest one's.
  const std::string message = run.cause + " failing; blocks " + joined(blocked.checks) + " (" +
                              run.check + ": " + run.error + ")";
  nlohmann::ordered_json snapshot = nlohmann::ordered_json::object();
  snapshot["cause"] = run.cause;
  snapshot["blocks"] = blocked.checks;
  snapshot["last_check"] = run.check;
  snapshot["last_error"] = run.error;
  snapshot["consecutive_failures"] = consecutive;
  snapshot["failure_threshold"] = run.threshold;
  if (found != open.end()) {
    writer.bump(found->second, message, blocked.severity, snapshot.dump());
    ++outcome.updated;
    return;
  }
  const int64_t id =
      writer.open_ticket({key, run.cause, message, blocked.severity, snapshot.dump(), "", run.at})
          .id;
  ++outcome.opened;
  outcome.causes_opened.push_back({id, run.cause, blocked.checks});
}

void resolve_cleared_causes(soci::session& sql, const std::string& target, TimePoint at,
                            const StoreOptions& options, ApplyOutcome& outcome) {
  const std::string cause_check = cause_check_name();
  std::vector<std::string> cleared;
  {
    std::string cause;
    soci::statement select =
        (sql.prepare << "SELECT subject FROM tickets WHERE target = :target"
                        " AND check_name = :check AND status <> 'resolved'"
                        " AND NOT EXISTS (SELECT 1 FROM check_failures f"
                        " WHERE f.target = tickets.target AND f.cause = tickets.subject)",
         soci::into(cause), soci::use(target), soci::use(cause_check));
    select.execute();
    while (select.fetch()) cleared.push_back(cause);
  }
  if (cleared.empty()) return;
  BatchWriter writer(sql, target, cause_check, at, options);
  const auto open = writer.open_tickets();
  for (const std::string& cause : cleared) {
    const auto found = open.find(violation_key(target, cause_check, cause));
    if (found == open.end()) continue;
    if (found->second.held) {
      ++outcome.held_kept;
      continue;
    }
    writer.resolve(found->second, kCauseCleared);
    ++outcome.resolved;
    outcome.causes_resolved.push_back({found->second.id, cause, {}});
  }
}

void mark_blocked(soci::session& sql, std::span<Ticket> tickets) {
  const bool any_open = std::any_of(tickets.begin(), tickets.end(),
                                    [](const Ticket& t) { return t.status != Status::resolved; });
  if (!any_open) return;
  // (target, check) -> the open cause ticket its streak's cause has. One
  // row per failing check: small whatever the number of tickets.
  std::map<std::pair<std::string, std::string>, std::pair<int64_t, std::string>> blocked;
  {
    const std::string cause_check = cause_check_name();
    std::string target, check, cause;
    long long id = 0;
    soci::statement select =
        (sql.prepare << "SELECT f.target, f.check_name, t.id, t.subject FROM check_failures f"
                        " JOIN tickets t ON t.target = f.target AND t.subject = f.cause"
                        " WHERE f.cause <> '' AND t.check_name = :check"
                        " AND t.status <> 'resolved'",
         soci::into(target), soci::into(check), soci::into(id), soci::into(cause),
         soci::use(cause_check));
    select.execute();
    while (select.fetch()) blocked[{target, check}] = {id, cause};
  }
  if (blocked.empty()) return;
  for (Ticket& ticket : tickets) {
    if (ticket.status == Status::resolved) continue;
    const auto found = blocked.find({ticket.target, base_check_name(ticket.check)});
    if (found == blocked.end()) continue;
    ticket.blocked_by = found->second.first;
    ticket.blocked_cause = found->second.second;
  }
}

}  // namespace opr::tickets
