// Tickets as people read them in a terminal.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "common/time_format.h"
#include "tickets/outbox.h"
#include "tickets/silence.h"
#include "tickets/ticket.h"

namespace opr::cli {

// "42s ago", "5m ago", "3h ago", "2d ago" (hours up to two days).
std::string age(TimePoint since, TimePoint now);

// The `tickets list` table: ID, STATUS, SEV, TARGET, CHECK, SUBJECT, COUNT,
// FIRST SEEN, FLAGS (tickets/ticket_flags.h, comma-separated, "-" when
// none), MESSAGE cut to fit `width` (0: never cut). With `color`, the
// severity (critical red, warning yellow) and the status are coloured.
void print_ticket_table(std::ostream& out, const std::vector<tickets::Ticket>& tickets,
                        size_t width, TimePoint now, bool color = false);

// `tickets show`: every field (the unknown streak's when it has one), the
// snapshot, the diagnosis, the timeline, and the notifications (when there
// are any): each one's receiver, event, state, attempts, when it was
// delivered or is tried next, and its last error.
void print_ticket_details(std::ostream& out, const tickets::Ticket& ticket,
                          const std::vector<tickets::TicketEvent>& events,
                          const std::vector<tickets::Notification>& notifications = {});

// `tickets silences`: ID, STATE (active, pending or ended at `now`),
// TARGET, CHECK and SUBJECT ("*": all), STARTS, ENDS, AUTHOR, COMMENT cut
// to fit `width`.
void print_silence_table(std::ostream& out, const std::vector<tickets::Silence>& silences,
                         size_t width, TimePoint now);

}  // namespace opr::cli
