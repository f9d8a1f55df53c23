#include "tickets/silence.h"

#include "tickets/ticket.h"

namespace opr::tickets {

bool Silence::covers(std::string_view ticket_target, std::string_view ticket_check,
                     std::string_view ticket_subject, TimePoint at) const {
  if (!active(at) || ticket_target != target) return false;
  if (check && ticket_check != *check && ticket_check != failed_check_name(*check)) return false;
  return !subject || ticket_subject == *subject;
}

const Silence* covering_silence(const std::vector<Silence>& silences, std::string_view target,
                                std::string_view check, std::string_view subject, TimePoint at) {
  const Silence* first = nullptr;
  for (const Silence& silence : silences) {
    if (silence.covers(target, check, subject, at) && (!first || silence.id < first->id)) {
      first = &silence;
    }
  }
  return first;
}

}  // namespace opr::tickets
