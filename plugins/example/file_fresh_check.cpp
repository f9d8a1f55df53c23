#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "checks.h"

namespace example {
namespace {

std::string age_text(int64_t seconds) {
  if (seconds < 120) return std::to_string(seconds) + " s";
  if (seconds < 2 * 3600) return std::to_string(seconds / 60) + " min";
  if (seconds < 2 * 86400) return std::to_string(seconds / 3600) + " h";
  return std::to_string(seconds / 86400) + " days";
}

// In the form the parameter was written in: "1h", "30m", "90s", "500ms".
std::string duration_text(std::chrono::milliseconds duration) {
  const int64_t ms = duration.count();
  if (ms != 0 && ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms != 0 && ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace

void FileFreshCheck::run(opr::sdk::NoTarget&, opr::sdk::Run& run) {
  const std::string path = run.params().string("path");
  const auto max_age = run.params().duration("max_age");

  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int error = errno;
    // Missing is what a dead cron job looks like; anything else (permission
    // denied, say) means the check cannot tell.
    if (error != ENOENT && error != ENOTDIR) {
      throw opr::sdk::CheckFailed("cannot stat " + path + ": " + std::strerror(error));
    }
    run.report(path, path + " does not exist", {opr::sdk::Fact::text("path", path)});
    return;
  }

  const int64_t mtime_ms =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
  const int64_t age_ms = std::max<int64_t>(0, run.host().now_unix_ms() - mtime_ms);
  const int64_t age_seconds = age_ms / 1000;
  const std::vector<opr::sdk::Fact> facts = {opr::sdk::Fact::integer("age_seconds", age_seconds),
                                             opr::sdk::Fact::text("path", path)};
  for (const auto& fact : facts) run.fact(fact);
  if (age_ms > max_age.count()) {
    run.report(path,
               path + " was last modified " + age_text(age_seconds) + " ago (max_age " +
                   duration_text(max_age) + ")",
               facts);
  }
}

}  // namespace example
