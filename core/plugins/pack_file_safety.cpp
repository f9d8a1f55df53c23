#include "plugins/pack_file_safety.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace opr::plugins {
namespace {

std::string octal_mode(mode_t mode) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
  return buffer;
}

std::optional<std::string> check_one(const std::filesystem::path& path, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return "cannot stat " + what + " " + path.string() + ": " + std::strerror(errno);
  }
  const uid_t me = ::geteuid();
  if (st.st_uid != me && st.st_uid != 0) {
    return what + " " + path.string() + " is owned by uid " + std::to_string(st.st_uid) +
           ", neither the current user (uid " + std::to_string(me) +
           ") nor root; loading a pack runs its code. Fix: chown " + std::to_string(me) + " " +
           path.string();
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return what + " " + path.string() + " is writable by group or others (mode " +
           octal_mode(st.st_mode) + "); loading a pack runs its code. Fix: chmod go-w " +
           path.string();
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_pack_file_safety(const std::filesystem::path& file) {
  // The folder as named and, through symlinks, the one really holding the file.
  std::error_code ec;
  const auto real = std::filesystem::canonical(file, ec);
  if (ec) return "cannot resolve " + file.string() + ": " + ec.message();
  if (auto error = check_one(real, "the file")) return error;
  if (auto error = check_one(real.parent_path(), "the folder")) return error;
  const auto named_folder = std::filesystem::absolute(file, ec).parent_path();
  if (!ec && named_folder != real.parent_path()) {
    if (auto error = check_one(named_folder, "the folder")) return error;
  }
  return std::nullopt;
}

}  // namespace opr::plugins
