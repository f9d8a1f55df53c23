// One run of a program, with the hygiene a monitor owes the machine it runs
// on: argv without a shell, an environment given whole, stdin /dev/null, no
// descriptor of the host inherited, a process group of its own, stdout and
// stderr kept up to a size, and nothing of it left running afterwards.
// Free of the ABI, so it is tested directly.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace opr::exec {

struct ProcessSpec {
  std::string program;            // an absolute path (program_path.h resolves it)
  std::vector<std::string> argv;  // argv[0] as the user wrote it, then the arguments
  std::vector<std::string> env;   // NAME=value, the child's whole environment
  std::string workdir;            // "" keeps the caller's working directory
  size_t max_output = 64 * 1024;  // stdout and stderr together
};

struct ProcessResult {
  enum class End {
    exited,            // exit_code is set
    signaled,          // signal is set
    cancelled,         // `cancelled` turned true: killed with its group
    output_too_large,  // wrote more than max_output: killed with its group
    not_started,       // error says why
  };
  End end = End::not_started;
  int exit_code = -1;
  int signal = 0;
  std::string out;  // stdout, at most max_output bytes
  std::string err;  // stderr, at most max_output bytes
  std::string error;
};

// Runs `spec` to its end. `cancelled` is asked every few milliseconds
// (the run's deadline or the host's shutdown); when it answers true the
// whole process group gets SIGTERM, then SIGKILL after `kill_grace`. When
// the program itself exits, whatever it left behind in its group (a child
// it forked) gets the same, so nothing outlives the run. The program is
// reaped in every case. Never throws for the program's misdeeds.
ProcessResult run_process(const ProcessSpec& spec, const std::function<bool()>& cancelled,
                          std::chrono::milliseconds kill_grace = std::chrono::milliseconds(300));

// "exited with status 3", "was killed by signal 9 (SIGKILL)", ...: for messages.
std::string describe_end(const ProcessResult& result);

}  // namespace opr::exec
