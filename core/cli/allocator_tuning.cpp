#include "cli/allocator_tuning.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace opr::cli {

const char* tune_allocator_for_monitor() {
#if defined(__GLIBC__)
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::strstr(tunables, "glibc.malloc.") != nullptr) {
    return "allocator: GLIBC_TUNABLES sets glibc.malloc, left as set";
  }
  constexpr int kMiB = 1024 * 1024;
  const bool tuned = mallopt(M_ARENA_MAX, 1) == 1 && mallopt(M_MMAP_THRESHOLD, 32 * kMiB) == 1 &&
                     mallopt(M_TRIM_THRESHOLD, 64 * kMiB) == 1;
  return tuned ? "allocator: one arena, heap blocks under 32 MiB, 64 MiB of free heap kept"
               : "allocator: glibc refused the tuning, defaults kept";
#else
  return "allocator: not glibc, defaults kept";
#endif
}

}  // namespace opr::cli
