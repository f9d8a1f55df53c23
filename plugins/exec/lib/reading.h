// How a run's end and output become an outcome, in either protocol:
//   nagios  the Monitoring Plugins' exit codes (0 ok, 1 warning, 2 critical,
//           3 unknown), the first line's text as the message, performance
//           data as facts;
//   lines   one JSON object per line, a violation or an unknown subject;
//           any other exit than 0 fails the run.
// A run that did not end by itself (timed out, too much output, a signal,
// never started) fails either way, saying so.
#pragma once

#include <cstddef>
#include <string_view>

#include "outcome.h"
#include "process.h"

namespace opr::exec {

enum class Mode { kNagios, kLines };

Outcome read_run(Mode mode, const ProcessResult& result, size_t max_output);

// The nagios protocol on a program that exited with `exit_code`.
Outcome read_nagios(int exit_code, std::string_view out, std::string_view err);

// The lines protocol on the stdout of a program that exited with 0.
Outcome read_lines(std::string_view out);

}  // namespace opr::exec
