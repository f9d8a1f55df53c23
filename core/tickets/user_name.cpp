#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "tickets/ticket_store.h"

namespace opr::tickets {

namespace {

// The name of `uid` in the password database.
std::optional<std::string> name_of(uid_t uid) {
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(size > 0 ? static_cast<size_t>(size) : 16384);
  passwd entry{};
  passwd* result = nullptr;
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &result) == 0 && result != nullptr &&
      result->pw_name != nullptr && *result->pw_name != '\0') {
    return result->pw_name;
  }
  return std::nullopt;
}

}  // namespace

std::string current_user_name() {
  // `sudo operator-host tickets ack 9` is the person's act, not root's.
  // Only a real uid of 0 trusts SUDO_USER: anyone else could set it to
  // sign as someone else (--actor says so openly instead).
  const char* sudo_user = std::getenv("SUDO_USER");
  if (::getuid() == 0 && sudo_user != nullptr && *sudo_user != '\0' &&
      std::strcmp(sudo_user, "root") != 0) {
    return sudo_user;
  }
  if (auto name = name_of(::geteuid())) return *name;
  for (const char* variable : {"USER", "LOGNAME"}) {
    const char* value = std::getenv(variable);
    if (value != nullptr && *value != '\0') return value;
  }
  return "unknown";
}

}  // namespace opr::tickets
