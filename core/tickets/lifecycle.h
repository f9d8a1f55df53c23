// Which changes people may make to a ticket, and the sentence that says why
// a change is refused. Pure rules: the store applies them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tickets/ticket.h"

namespace opr::tickets {

enum class Action { acknowledge, diagnose, resolve, hold, unhold };

// The statuses a person may move a ticket in `from` to (hold/unhold aside).
std::vector<Status> allowed_next(Status from);

// nullopt when `action` is allowed on ticket `id` in this state; otherwise
// the refusal, e.g. "ticket 7 is acknowledged; it can go to diagnosed or resolved".
std::optional<std::string> refusal(int64_t id, Status status, bool held, Action action);

}  // namespace opr::tickets
