#include "engine/outcome_log.h"

#include <algorithm>
#include <array>

namespace opr::engine {
namespace {

using Kind = tickets::TicketChange::Kind;

// In the enum's order: a kind's index counts it.
constexpr std::array kKinds = {Kind::opened, Kind::reopened, Kind::resolved};

std::string_view verb(Kind kind) {
  switch (kind) {
    case Kind::opened:
      return "opened";
    case Kind::reopened:
      return "reopened";
    case Kind::resolved:
      break;
  }
  return "resolved";
}

// What names the ticket besides its id: its subject, and its check when it
// is not the run's own (the check's :failed ticket).
std::string what_of(const tickets::TicketChange& change, std::string_view check) {
  std::string what;
  if (change.check != check) what = "check " + change.check;
  if (!change.subject.empty()) what += (what.empty() ? "" : ", ") + ("subject " + change.subject);
  return what.empty() ? what : " (" + what + ")";
}

}  // namespace

std::vector<std::string> ticket_change_lines(std::string_view target, std::string_view check,
                                             const std::vector<tickets::TicketChange>& changes,
                                             std::size_t limit) {
  std::vector<std::string> lines;
  if (changes.empty()) return lines;
  const std::string name = std::string(target) + "/" + std::string(check);
  const std::size_t named = std::min(limit, changes.size());
  lines.reserve(named + 1);
  for (std::size_t i = 0; i < named; ++i) {
    const auto& change = changes[i];
    lines.push_back(name + " " + std::string(verb(change.kind)) + " ticket " +
                    std::to_string(change.id) + what_of(change, check));
  }
  if (named == changes.size()) return lines;
  std::array<std::size_t, kKinds.size()> counts{};
  for (std::size_t i = named; i < changes.size(); ++i) {
    ++counts[static_cast<std::size_t>(changes[i].kind)];
  }
  std::string counted;
  for (std::size_t k = 0; k < kKinds.size(); ++k) {
    if (counts[k] == 0) continue;
    counted += (counted.empty() ? "" : ", ") + std::to_string(counts[k]) + " " +
               std::string(verb(kKinds[k]));
  }
  lines.push_back(name + " changed " + std::to_string(changes.size() - named) +
                  " more tickets: " + counted);
  return lines;
}

std::string ticket_list(const std::vector<int64_t>& ids, std::size_t limit) {
  if (ids.size() == 1) return "ticket " + std::to_string(ids.front());
  const std::size_t named = std::min(limit, ids.size());
  std::string text = "tickets";
  for (std::size_t i = 0; i < named; ++i) {
    const bool last = i + 1 == ids.size();
    text += (i == 0 ? " " : last ? " and " : ", ") + std::to_string(ids[i]);
  }
  if (named < ids.size()) text += " and " + std::to_string(ids.size() - named) + " more";
  return text;
}

std::string cause_opened_line(std::string_view target, const tickets::CauseChange& opened) {
  std::string blocks;
  for (const auto& check : opened.blocks) blocks += (blocks.empty() ? "" : ", ") + check;
  return std::string(target) + ": " + opened.cause + " failing; opened ticket " +
         std::to_string(opened.ticket_id) + ", blocks " + blocks;
}

std::string cause_resolved_line(std::string_view target, const tickets::CauseChange& resolved) {
  return std::string(target) + ": " + resolved.cause + " no longer failing; resolved ticket " +
         std::to_string(resolved.ticket_id);
}

std::string heartbeat_line(int runs, int violations, int failures, int64_t open_tickets) {
  return "Check complete: " + std::to_string(runs) + " checks run, " + std::to_string(violations) +
         " violations, " + std::to_string(failures) + " failures, " +
         (open_tickets < 0 ? "open tickets unknown"
                           : std::to_string(open_tickets) + " open tickets");
}

}  // namespace opr::engine
