// A ticket's flags: what is true of it besides its status, as `tickets
// list` shows them in one column and the JSON lists them.
#pragma once

#include <string>
#include <vector>

#include "tickets/ticket.h"

namespace opr::tickets {

// Short words, in a fixed order: "silenced", "held", "flapping",
// "unknown". Empty when none. The one place a new flag is added.
std::vector<std::string> ticket_flags(const Ticket& ticket);

}  // namespace opr::tickets
