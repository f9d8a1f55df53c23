#include "cli/database_location.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "common/install_layout.h"

namespace opr::cli {

namespace {

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::string home_folder() {
  if (auto home = environment("HOME")) return *home;
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(size > 0 ? static_cast<size_t>(size) : 16384);
  passwd entry{};
  passwd* result = nullptr;
  if (::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &result) == 0 &&
      result != nullptr && result->pw_dir != nullptr) {
    return result->pw_dir;
  }
  return ".";
}

}  // namespace

std::string database_location(const std::optional<std::string>& cli_database,
                              const std::optional<std::string>& config_database) {
  if (cli_database && !cli_database->empty()) return *cli_database;
  if (config_database && !config_database->empty()) return *config_database;
  if (auto from_env = environment("OPERATOR_DB")) return *from_env;
  // The XDG base directory spec says relative values are to be ignored.
  if (auto state = environment("XDG_STATE_HOME");
      state && std::filesystem::path(*state).is_absolute()) {
    return (std::filesystem::path(*state) / "operator" / "tickets.db").string();
  }
  return (std::filesystem::path(home_folder()) / ".local" / "state" / "operator" / "tickets.db")
      .string();
}

std::optional<std::filesystem::path> default_config() {
  if (environment("OPERATOR_DB")) return std::nullopt;
  if (const char* named = std::getenv("OPERATOR_CONFIG"); named != nullptr) {
    if (*named == '\0') return std::nullopt;
    return std::filesystem::path(named);
  }
  const auto prefix = install_layout::running_prefix();
  if (!prefix) return std::nullopt;
  const std::filesystem::path installed = install_layout::config_file(*prefix);
  std::error_code ec;
  if (!std::filesystem::exists(installed, ec)) return std::nullopt;
  return installed;
}

}  // namespace opr::cli
