// The monitor's info lines about what runs did to tickets, and its
// heartbeat: built here as text, so their form is decided in one place and
// tested without a monitor (the engine logs them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tickets/ticket_store.h"

namespace opr::engine {

// How many changed tickets one run's lines name; the rest are counted.
constexpr std::size_t kNamedTicketChanges = 20;

// One line per ticket that the run of `target`/`check` changed, in order,
// for the first `limit`:
//   prod/store_up opened ticket 12 (subject 2)
//   prod/store_up reopened ticket 9 (subject 4)
//   prod/store_up resolved ticket 7 (check store_up:failed)
// then, if there are more, one line that counts them:
//   prod/store_up changed 9980 more tickets: 9980 opened
// Nothing for a run that changed none. The subjects and checks are written
// as they are; the text log escapes what it shows.
std::vector<std::string> ticket_change_lines(std::string_view target, std::string_view check,
                                             const std::vector<tickets::TicketChange>& changes,
                                             std::size_t limit = kNamedTicketChanges);

// Tickets named by id, for a line about them: "ticket 12", "tickets 3, 4
// and 5"; past `limit`, the rest counted ("tickets 1, 2, ... 20 and 80
// more").
std::string ticket_list(const std::vector<int64_t>& ids, std::size_t limit = kNamedTicketChanges);

// The lines for a cause's ticket (ApplyOutcome::causes_opened and
// causes_resolved):
//   prod-tikv: pd:http://pd:2379 failing; opened ticket 12, blocks disk_space, store_up
//   prod-tikv: pd:http://pd:2379 no longer failing; resolved ticket 12
std::string cause_opened_line(std::string_view target, const tickets::CauseChange& opened);
std::string cause_resolved_line(std::string_view target, const tickets::CauseChange& resolved);

// What a cycle did, in one form whatever it found:
//   Check complete: 3 checks run, 0 violations, 0 failures, 2 open tickets
// `open_tickets` < 0 (the database could not count them) reads "open
// tickets unknown".
std::string heartbeat_line(int runs, int violations, int failures, int64_t open_tickets);

}  // namespace opr::engine
