#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "tickets/ticket_store.h"

namespace opr::tickets {

std::string current_user_name() {
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(size > 0 ? static_cast<size_t>(size) : 16384);
  passwd entry{};
  passwd* result = nullptr;
  if (::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &result) == 0 &&
      result != nullptr && result->pw_name != nullptr && *result->pw_name != '\0') {
    return result->pw_name;
  }
  for (const char* variable : {"USER", "LOGNAME"}) {
    const char* value = std::getenv(variable);
    if (value != nullptr && *value != '\0') return value;
  }
  return "unknown";
}

}  // namespace opr::tickets
