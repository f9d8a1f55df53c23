// The ticket model: one tracked record per violation key, and its history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/severity.h"
#include "common/time_format.h"

namespace opr::tickets {

enum class Status { open, acknowledged, diagnosed, resolved };

std::string_view to_string(Status status);
std::optional<Status> parse_status(std::string_view text);

// `target/check/subject`, or `target/check` when the subject is empty.
std::string violation_key(std::string_view target, std::string_view check,
                          std::string_view subject);

// The check name of the ticket that says a check keeps failing: "latency:failed".
std::string failed_check_name(std::string_view check);
// The check a ticket is about: "latency:failed" -> "latency"; any other
// name as it is.
std::string base_check_name(std::string_view check);
// The check name of a cause ticket (ABI 1.3 run_fail_cause): ":failed",
// whose subject is the cause, e.g. "pd:http://pd:2379".
std::string cause_check_name();

struct Ticket {
  int64_t id = 0;
  std::string violation_key;
  std::string target;
  std::string check;
  std::string subject;
  Status status = Status::open;
  bool held = false;
  bool flapping = false;
  Severity severity = Severity::warning;
  std::string message;
  std::string batch_key;
  int64_t occurrence_count = 0;
  TimePoint first_seen_at;
  TimePoint last_seen_at;
  std::optional<TimePoint> resolved_at;
  std::string diagnosis;        // empty when none
  std::string metric_snapshot;  // a JSON object as text ("{}" when none)
  TimePoint created_at;
  TimePoint updated_at;
  // The subject has been unknown (a successful run could not see it) for at
  // least the check's interval: the ticket is neither a live problem nor a
  // healed one.
  bool unknown = false;
  std::optional<TimePoint> unknown_since;  // start of the current unknown streak
  std::optional<TimePoint> unknown_at;     // the last run that could not see it
  std::string unknown_reason;              // that run's reason; empty when none
  // `tickets ack --expire`: acknowledged until then, open again after it
  // (TicketStore::expire_acknowledgements). Unset: acknowledged for good.
  std::optional<TimePoint> acknowledged_until;
  // The silence that holds back its notifications as get() and list() read
  // it (not resolved, covered now); the engine's reads leave it unset.
  std::optional<int64_t> silenced_by;
  // The open cause ticket whose cause its check now fails for, and that
  // cause, as get() and list() read them (not resolved); the engine's
  // reads leave them unset. Its state stays as the last successful run
  // left it: a failed run is no evidence.
  std::optional<int64_t> blocked_by;
  std::string blocked_cause;
};

// One change of a ticket, by the monitor or by a person.
struct TicketEvent {
  int64_t id = 0;
  int64_t ticket_id = 0;
  TimePoint at;
  std::string actor;        // kMonitorActor or the OS user name
  std::string from_status;  // "" when the ticket was created
  std::string to_status;    // a status, or an event such as "hold", "flapping", "updated"
  std::string note;
};

// The actor of the monitor's own changes; a person's is their name.
inline constexpr const char* kMonitorActor = "monitor";

// The from_status of the event that created a ticket.
inline constexpr const char* kNoStatus = "";

// The events that are flags, not statuses: stored as the to_status of an
// event whose from_status is the ticket's status at the time.
inline constexpr const char* kHoldEvent = "hold";
inline constexpr const char* kUnholdEvent = "unhold";
inline constexpr const char* kFlappingEvent = "flapping";
inline constexpr const char* kFlappingClearedEvent = "flapping_cleared";
// The other events that leave the status as it was.
inline constexpr const char* kUpdatedEvent = "updated";  // the severity changed
inline constexpr const char* kUnknownEvent = "unknown";  // its subject unseen for an interval
inline constexpr const char* kSeenAgainEvent = "seen again";
inline constexpr const char* kDiagnosisReplacedEvent = "diagnosis_replaced";

// Whether `event` moved the ticket from one status to another (its
// creation included); flags and other events (hold, flapping, updated,
// unknown, ...) leave the status as it was.
bool is_status_change(const TicketEvent& event);
// The event's name in the timeline and JSON: "opened", "reopened",
// "acknowledged", "diagnosed", "resolved" for status changes; the flag or
// action otherwise ("hold", "unhold", "flapping", "flapping_cleared",
// "updated", "seen_again", ...), older databases' names ("held", "flapping
// stopped") read as today's.
std::string event_name(const TicketEvent& event);

}  // namespace opr::tickets
