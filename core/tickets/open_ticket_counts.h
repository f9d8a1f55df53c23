// How many tickets are open, by target, check and severity: what /metrics
// exports and what the monitor compares with its config at start and
// reload.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace opr::tickets {

struct OpenTicketCount {
  std::string target;
  std::string check;  // as stored: "latency", "latency:failed", ":failed"
  std::string severity;
  int64_t count = 0;
};

// Non-resolved tickets by target, check and severity: one GROUP BY over
// the partial index of open tickets. Throws soci::soci_error.
std::vector<OpenTicketCount> read_open_ticket_counts(soci::session& sql);

}  // namespace opr::tickets
