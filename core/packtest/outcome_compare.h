// What a run reported against what its test file expects: one line per
// mismatch, "what: expected X, got Y", none when they agree.
#pragma once

#include <string>
#include <vector>

#include "common/severity.h"
#include "packtest/test_file.h"
#include "plugins/pack_instance.h"
#include "tickets/ticket.h"

namespace opr::packtest {

// `configured`: the check's severity, which a violation reported without
// one takes.
std::vector<std::string> compare_outcome(const Expectation& expect,
                                         const plugins::RunResult& result, Severity configured);

// `check`: the tested check, which an expected ticket without one names.
std::vector<std::string> compare_tickets(const std::vector<ExpectedTicket>& expected,
                                         const std::vector<tickets::Ticket>& open,
                                         const std::string& check);

}  // namespace opr::packtest
