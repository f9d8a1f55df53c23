// Open tickets that no run of the current config will ever update or
// resolve: their check was disabled or removed, or their target removed.
// The monitor keeps them open (it cannot see that their violation ended,
// and a config mistake must not resolve a cluster's worth of tickets), and
// says so at start and at every reload, so that people resolve them on
// purpose instead of finding them open months later.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/targets.h"
#include "tickets/open_ticket_counts.h"

namespace opr::engine {

// Target name -> the names of its enabled checks; a configured target
// with every check disabled maps to an empty set.
using EnabledChecks = std::map<std::string, std::set<std::string>>;

EnabledChecks enabled_check_names(const Targets& targets);

// The warning for the open tickets in `open` that `enabled` runs no check
// for ("" when there are none): how many, and per target/check how many
// and why, e.g.
//   2 open tickets belong to checks this config does not run, so no run
//   will update or resolve them: a/probe (1, the check is disabled or
//   gone), old/store_up (1, the target is not in the config); resolve
//   them with `operator-host tickets resolve ID`, or run the checks again
// A `<check>:failed` ticket belongs to its check; a cause ticket (check
// ":failed") to its target, which needs one enabled check to resolve it.
// At most `shown` target/check pairs are named, then "and N more".
std::string unwatched_tickets_warning(const EnabledChecks& enabled,
                                      const std::vector<tickets::OpenTicketCount>& open,
                                      std::size_t shown = 10);

}  // namespace opr::engine
