// Tickets as `--json` prints them. The field names are a stable interface
// for scripts: id, violation_key, target, check, subject, status, held,
// flapping, severity, message, batch_key, occurrence_count, first_seen_at,
// last_seen_at, resolved_at, diagnosis, metric_snapshot, created_at,
// updated_at, unknown, unknown_since, unknown_at, unknown_reason (and events
// for `show`). Times are UTC ISO 8601 with ms and Z.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "tickets/ticket.h"

namespace opr::cli {

nlohmann::ordered_json ticket_json(const tickets::Ticket& ticket);
// The ticket with `events`: [{at, actor, from, to, note}], oldest first.
nlohmann::ordered_json ticket_json(const tickets::Ticket& ticket,
                                   const std::vector<tickets::TicketEvent>& events);

}  // namespace opr::cli
