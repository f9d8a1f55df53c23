#include "tickets/ticket_flags.h"

namespace opr::tickets {

std::vector<std::string> ticket_flags(const Ticket& ticket) {
  std::vector<std::string> flags;
  if (ticket.silenced_by) flags.emplace_back("silenced");
  if (ticket.held) flags.emplace_back("held");
  if (ticket.flapping) flags.emplace_back("flapping");
  if (ticket.unknown) flags.emplace_back("unknown");
  if (ticket.blocked_by) flags.emplace_back("blocked");
  return flags;
}

}  // namespace opr::tickets
