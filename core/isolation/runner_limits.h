// The resource limits of a pack runner, and how both sides word them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace opr::isolation {

// The defaults are the config's (config::Defaults).
struct RunnerLimits {
  // The runner's address space (RLIMIT_AS) in MiB; 0: no limit. Not applied
  // in AddressSanitizer builds, whose shadow memory needs terabytes of it.
  uint64_t memory_mb = 0;
  // Descriptors the runner may have open at once (RLIMIT_NOFILE); 0: the
  // host's own limit.
  uint64_t open_files = 0;

  bool operator==(const RunnerLimits&) const = default;
};

// In the runner, before any pack code: sets the limits, soft and hard, so a
// pack cannot raise them again. The reason when it cannot.
std::optional<std::string> apply_limits(const RunnerLimits& limits);

// What a run that failed at a limit adds to its error.
std::string memory_limit_text(const RunnerLimits& limits);      // "the runner reached ..."
std::string open_files_limit_text(const RunnerLimits& limits);  // "the runner reached ..."

// False in builds where the memory limit is not applied (AddressSanitizer).
bool memory_limit_enforced();

}  // namespace opr::isolation
