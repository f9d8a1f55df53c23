// PD's sizes ("878.9GiB"): any text parses or is refused; what parses with
// a unit is the number times that power of 1024, whatever the spelling.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "byte_size.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto bytes = opr::tikv::parse_byte_size(text);
  if (!bytes) return 0;
  // Units are case-blind: the upper-case spelling means the same.
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto again = opr::tikv::parse_byte_size(upper);
  if (!again || *again != *bytes) std::abort();
  return 0;
}
