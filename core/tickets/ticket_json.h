// Tickets as `--json` prints them and notification payloads carry them. The
// field names are a stable interface for scripts: id, violation_key,
// target, check, subject, status, held, flapping, severity, message,
// batch_key, occurrence_count, first_seen_at, last_seen_at, resolved_at,
// diagnosis, metric_snapshot, created_at, updated_at, unknown,
// unknown_since, unknown_at, unknown_reason, silenced_by (the id of the
// silence holding back its notifications, or null) (and events for
// `show`). Times are UTC ISO 8601 with ms and Z.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "tickets/outbox.h"
#include "tickets/silence.h"
#include "tickets/ticket.h"

namespace opr::tickets {

nlohmann::ordered_json ticket_json(const Ticket& ticket);
// The ticket with `events` (events_json), oldest first.
nlohmann::ordered_json ticket_json(const Ticket& ticket, const std::vector<TicketEvent>& events);
// Events alone, in the order given: [{at, actor, event, from, to, note}] for
// a change of status, [{at, actor, event, status, note}] for a flag or
// other event (event_name in ticket.h).
nlohmann::ordered_json events_json(const std::vector<TicketEvent>& events);

// Notifications as `tickets show --json` lists them: [{id (the id receivers
// see), receiver, event, state, attempts, next_attempt_at, last_error,
// created_at, delivered_at}], oldest first.
nlohmann::ordered_json notifications_json(const std::vector<Notification>& notifications);

// The body receivers get for `notification`: what its row keeps (its id,
// receiver, pack, event, labels and annotations) with `ticket` (as it is
// when sent) after the event.
std::string notification_body(const Notification& notification, const Ticket& ticket);

// A silence as `tickets silences --json` lists it: {id, target, check,
// subject (null: all), starts_at, ends_at, author, comment, created_at,
// expired_by (who ended it early, or null)}.
nlohmann::ordered_json silence_json(const Silence& silence);

}  // namespace opr::tickets
