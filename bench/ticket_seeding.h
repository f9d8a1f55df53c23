// Ticket databases and runs of realistic size for the ticket benchmarks.
#pragma once

#include <cstddef>
#include <string>

#include "tickets/ticket_store.h"

namespace opr::bench {

// A successful store_up run reporting stores first..first+count-1 as Down,
// with messages and metric snapshots the size the TiKV pack writes.
tickets::SuccessfulRun store_up_run(size_t first, size_t count, TimePoint at);

// Fills the (new) database at `path` with `total` tickets of which `open`
// stay open: one run opens `total`, the next reports only `open` of them
// and so auto-resolves the rest, as a year of healed faults would.
void seed_tickets(const std::string& path, size_t total, size_t open);

}  // namespace opr::bench
