// What `operator-host --once` prints and exits with: the output of a
// monitoring plugin as the Nagios plugin guidelines describe it (and Icinga
// reads it). The first line is the status and a summary, then "|" and the
// performance data; the lines after it are the details, one per outcome:
//
//   CRITICAL - 1 violated, 1 pending, 1 ok | violations=2;;;0 pending=1;;;0 ...
//   VIOLATION prod/store_up: 2: Store 2 is Down (critical)
//   PENDING prod/latency: 3: p99 is 2.1 s (warning, in grace until 2026-...Z)
//   OK prod/disk_space (12 ms)
//
// The exit code is the state the runs saw now, violations still inside
// their grace included: Icinga applies its own soft states on top.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"

namespace opr::cli {

// The plugin's exit codes (the guidelines' return codes).
constexpr int kPluginOk = 0;
constexpr int kPluginWarning = 1;
constexpr int kPluginCritical = 2;
constexpr int kPluginUnknown = 3;

// How one check ended, by its worst outcome.
enum class CheckOutcome {
  failed,    // could not run or did not finish
  violated,  // at least one violation past its grace
  pending,   // violations, every one still inside its grace
  unknown,   // no violation, but subjects it could not see
  ok,        // looked at everything and found it well
};
CheckOutcome check_outcome(const engine::CheckReport& report);
std::string_view to_string(CheckOutcome outcome);  // "failed", "violated", ...

// How many checks ended each way (every check counts once), and the
// performance data's totals.
struct PluginTally {
  int failed = 0;
  int violated = 0;
  int pending = 0;
  int unknown = 0;
  int ok = 0;
  int violations = 0;          // every violation reported, pending ones included
  int pending_violations = 0;  // those inside their grace
  int unknown_subjects = 0;
};
PluginTally plugin_tally(const std::vector<engine::CheckReport>& reports);

// The state's name for exit code `code`: "OK", "WARNING", "CRITICAL" or
// "UNKNOWN" (anything above 3 as UNKNOWN).
std::string_view plugin_state(int code);

// The state the reports add up to: UNKNOWN when a check failed; else
// CRITICAL / WARNING by the worst violation (info counts as a warning),
// pending ones included; else UNKNOWN when a subject could not be seen;
// else OK.
int plugin_exit_code(const std::vector<engine::CheckReport>& reports);

// The whole output for `reports` in config order and the state `code`,
// every line ending in "\n".
std::string plugin_output(const std::vector<engine::CheckReport>& reports, int code);

// `--once --json`: the same as one JSON document, {"state" (OK, WARNING,
// CRITICAL or UNKNOWN), "exit_code", "summary" (the tally), "checks": [{
// "target", "check", "outcome", "duration_ms", "error" (null unless
// failed), "violations": [{"subject", "message", "severity",
// "in_grace_until" (null: past its grace)}], "unknown": [{"subject",
// "reason"}]}]}, the checks in config order.
nlohmann::ordered_json plugin_json(const std::vector<engine::CheckReport>& reports, int code);

// A performance data label for `name`: ' = and | (which the format cannot
// carry) become '_', and a label with anything but letters, digits and '_'
// is put in single quotes.
std::string perfdata_label(std::string_view name);

// The one line on stdout of a run that could not start (a usage or
// configuration error): "UNKNOWN - " and the first line of `message`.
std::string plugin_unknown_line(std::string_view message);

}  // namespace opr::cli
