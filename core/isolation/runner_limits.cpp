#include "isolation/runner_limits.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace opr::isolation {

bool memory_limit_enforced() {
#if defined(__SANITIZE_ADDRESS__)
  return false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return false;
#else
  return true;
#endif
#else
  return true;
#endif
}

std::optional<std::string> apply_limits(const RunnerLimits& limits) {
  if (limits.memory_mb > 0 && memory_limit_enforced()) {
    const rlim_t bytes = static_cast<rlim_t>(limits.memory_mb) << 20;
    const rlimit limit{bytes, bytes};
    if (::setrlimit(RLIMIT_AS, &limit) != 0) {
      return "cannot limit the runner's memory to " + std::to_string(limits.memory_mb) +
             " MiB: " + std::strerror(errno);
    }
  }
  if (limits.open_files > 0) {
    rlimit current{};
    ::getrlimit(RLIMIT_NOFILE, &current);
    rlim_t wanted = static_cast<rlim_t>(limits.open_files);
    if (current.rlim_max != RLIM_INFINITY && wanted > current.rlim_max) wanted = current.rlim_max;
    const rlimit limit{wanted, wanted};
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
      return "cannot limit the runner's open files to " + std::to_string(limits.open_files) + ": " +
             std::strerror(errno);
    }
  }
  return std::nullopt;
}

std::string memory_limit_text(const RunnerLimits& limits) {
  return "the runner reached its memory limit (runner_memory_mb: " +
         std::to_string(limits.memory_mb) + ")";
}

std::string open_files_limit_text(const RunnerLimits& limits) {
  return "the runner reached its limit of open files (runner_open_files: " +
         std::to_string(limits.open_files) + ")";
}

}  // namespace opr::isolation
