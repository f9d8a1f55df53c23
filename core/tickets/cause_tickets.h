// Cause tickets (ABI 1.3 run_fail_cause): the failure streaks of a target's
// checks that share a cause make one ticket, `<target>/:failed/<cause>`,
// which lists the checks it blocks and resolves once none of them fails for
// it any more. The streaks themselves live in `check_failures`, so what a
// ticket blocks survives restarts and is read, not remembered.
#pragma once

#include <soci/soci.h>

#include <span>
#include <string>

#include "tickets/ticket.h"
#include "tickets/ticket_store.h"

namespace opr::tickets {

// After `run` (which names a cause) was counted, the check's streak now
// `consecutive` failures for that cause: bumps the cause's open ticket, or
// opens it when `consecutive` reaches run.threshold. Inside the caller's
// write transaction.
void apply_cause_failure(soci::session& sql, const FailedRun& run, int consecutive,
                         const StoreOptions& options, ApplyOutcome& outcome);

// Resolves each open cause ticket of `target` that no check's streak has
// as its cause any more (a held one is kept). Inside the caller's write
// transaction.
void resolve_cleared_causes(soci::session& sql, const std::string& target, TimePoint at,
                            const StoreOptions& options, ApplyOutcome& outcome);

// Sets blocked_by and blocked_cause of each of `tickets` that is not
// resolved and whose check (a `check:failed` ticket's too) now fails for
// the cause of an open cause ticket of its target.
void mark_blocked(soci::session& sql, std::span<Ticket> tickets);

}  // namespace opr::tickets
