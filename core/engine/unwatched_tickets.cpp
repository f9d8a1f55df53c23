#include "engine/unwatched_tickets.h"

#include <cstdint>
#include <utility>

#include "tickets/ticket.h"

namespace opr::engine {
namespace {

// Why no run of this config reaches tickets of target/check: "" when one
// does.
std::string why_unwatched(const EnabledChecks& enabled, const std::string& target,
                          const std::string& check) {
  const auto found = enabled.find(target);
  if (found == enabled.end()) return "the target is not in the config";
  if (check == tickets::cause_check_name()) {
    return found->second.empty() ? "every check of the target is disabled" : "";
  }
  return found->second.count(tickets::base_check_name(check)) > 0
             ? ""
             : "the check is disabled or not in the config";
}

}  // namespace

EnabledChecks enabled_check_names(const Targets& targets) {
  EnabledChecks enabled;
  for (const auto& target : targets) {
    auto& names = enabled[target->config.name];
    for (const auto& check : target->checks) {
      if (check.config.enabled) names.insert(check.config.name);
    }
  }
  return enabled;
}

std::string unwatched_tickets_warning(const EnabledChecks& enabled,
                                      const std::vector<tickets::OpenTicketCount>& open,
                                      std::size_t shown) {
  // target/check -> (tickets, why), in name order whatever the rows' order.
  std::map<std::pair<std::string, std::string>, std::pair<int64_t, std::string>> unwatched;
  int64_t total = 0;
  for (const auto& row : open) {
    std::string why = why_unwatched(enabled, row.target, row.check);
    if (why.empty()) continue;
    auto& entry = unwatched[{row.target, row.check}];
    entry.first += row.count;
    entry.second = std::move(why);
    total += row.count;
  }
  if (unwatched.empty()) return "";
  std::string text = std::to_string(total) +
                     (total == 1 ? " open ticket belongs" : " open tickets belong") +
                     " to checks this config does not run, so no run will update or resolve them: ";
  std::size_t named = 0;
  for (const auto& [key, entry] : unwatched) {
    if (named == shown) {
      text += ", and " + std::to_string(unwatched.size() - shown) + " more";
      break;
    }
    if (named > 0) text += ", ";
    text += key.first + "/" + key.second + " (" + std::to_string(entry.first) + ", " +
            entry.second + ")";
    ++named;
  }
  text += "; resolve them with `operator-host tickets resolve ID`, or run the checks again";
  return text;
}

}  // namespace opr::engine
