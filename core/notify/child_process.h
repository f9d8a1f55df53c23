// A program run for a notification (the command receiver, the diagnosis
// hook): argv without a shell, `input` on its stdin, its stdout
// and stderr kept up to a size, killed with its process group at a
// timeout. Never throws.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace opr::notify {

struct ChildResult {
  bool started = false;
  bool timed_out = false;  // killed at the timeout
  int exit_code = -1;      // when it exited by itself
  int signal = 0;          // when a signal ended it
  // stdout (and stderr, unless kept apart) as it came, at most max_output bytes.
  std::string output;
  std::string error_output;  // stderr when kept apart, at most max_output bytes
  std::string error;         // why it could not be started or run
};

ChildResult run_child(const std::vector<std::string>& argv, const std::string& input,
                      std::chrono::milliseconds timeout, size_t max_output,
                      bool separate_stderr = false);

// "exited with status 3", "was killed by signal 9", "timed out after 10s",
// or the reason it could not start: for logs and `tickets show`.
std::string describe(const ChildResult& result, std::chrono::milliseconds timeout);

}  // namespace opr::notify
