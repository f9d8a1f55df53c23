#include "tickets/ticket.h"

namespace opr::tickets {

std::string_view to_string(Status status) {
  switch (status) {
    case Status::open:
      return "open";
    case Status::acknowledged:
      return "acknowledged";
    case Status::diagnosed:
      return "diagnosed";
    case Status::resolved:
      return "resolved";
  }
  return "unknown";
}

std::optional<Status> parse_status(std::string_view text) {
  if (text == "open") return Status::open;
  if (text == "acknowledged") return Status::acknowledged;
  if (text == "diagnosed") return Status::diagnosed;
  if (text == "resolved") return Status::resolved;
  return std::nullopt;
}

std::string violation_key(std::string_view target, std::string_view check,
                          std::string_view subject) {
  std::string key;
  key.reserve(target.size() + check.size() + subject.size() + 2);
  key.append(target).append("/").append(check);
  if (!subject.empty()) key.append("/").append(subject);
  return key;
}

std::string failed_check_name(std::string_view check) { return std::string(check) + ":failed"; }

std::string base_check_name(std::string_view check) {
  constexpr std::string_view kFailed = ":failed";
  if (check.size() > kFailed.size() && check.ends_with(kFailed)) {
    check.remove_suffix(kFailed.size());
  }
  return std::string(check);
}

std::string cause_check_name() { return failed_check_name(""); }

bool is_status_change(const TicketEvent& event) {
  return parse_status(event.to_status) && event.from_status != event.to_status;
}

std::string event_name(const TicketEvent& event) {
  if (is_status_change(event)) {
    if (event.from_status.empty()) return "opened";
    // Back to open from resolved; an acknowledgement that expired is not
    // a reopen.
    if (parse_status(event.to_status) == Status::open &&
        parse_status(event.from_status) == Status::resolved) {
      return "reopened";
    }
    return event.to_status;
  }
  // Before flags had events of their own, holds and flapping were written
  // as if they were statuses.
  if (event.to_status == "held") return kHoldEvent;
  if (event.to_status == "unheld") return kUnholdEvent;
  if (event.to_status == "flapping stopped") return kFlappingClearedEvent;
  std::string name = event.to_status;
  for (char& c : name) {
    if (c == ' ') c = '_';
  }
  return name;
}

}  // namespace opr::tickets
