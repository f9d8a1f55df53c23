#include "tickets/lifecycle.h"

namespace opr::tickets {

namespace {

std::optional<Status> target_status(Action action) {
  switch (action) {
    case Action::acknowledge:
      return Status::acknowledged;
    case Action::diagnose:
      return Status::diagnosed;
    case Action::resolve:
      return Status::resolved;
    case Action::hold:
    case Action::unhold:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string where_it_can_go(Status from) {
  const std::vector<Status> next = allowed_next(from);
  if (next.empty()) return std::string(to_string(from)) + " is final";
  std::string text = "it can go to ";
  for (size_t i = 0; i < next.size(); ++i) {
    if (i > 0) text += (i + 1 == next.size()) ? " or " : ", ";
    text += to_string(next[i]);
  }
  return text;
}

}  // namespace

std::vector<Status> allowed_next(Status from) {
  switch (from) {
    case Status::open:
      return {Status::acknowledged, Status::diagnosed, Status::resolved};
    case Status::acknowledged:
      return {Status::diagnosed, Status::resolved};
    case Status::diagnosed:
      // A new diagnosis replaces the old one, which the timeline keeps.
      return {Status::diagnosed, Status::resolved};
    case Status::resolved:
      return {};
  }
  return {};
}

std::optional<std::string> refusal(int64_t id, Status status, bool held, Action action) {
  const std::string ticket = "ticket " + std::to_string(id);
  const std::string is = ticket + " is " + std::string(to_string(status));
  if (status == Status::resolved) return is + "; resolved is final";
  if (action == Action::hold) {
    if (held) return ticket + " is already held";
    return std::nullopt;
  }
  if (action == Action::unhold) {
    if (!held) return ticket + " is not held";
    return std::nullopt;
  }
  const Status to = *target_status(action);
  for (Status allowed : allowed_next(status)) {
    if (allowed == to) return std::nullopt;
  }
  return is + "; " + where_it_can_go(status);
}

}  // namespace opr::tickets
