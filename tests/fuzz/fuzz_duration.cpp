// Durations as people write them ("1h30m"): any text parses or is refused,
// and what parses prints back to text that parses to the same duration.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/duration.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto duration = opr::parse_duration(text);
  if (!duration) return 0;
  if (duration->count() < 0) std::abort();
  const auto again = opr::parse_duration(opr::format_duration(*duration));
  if (!again || *again != *duration) std::abort();
  return 0;
}
