#include "program.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace opr::exec {
namespace {

bool valid_name(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (const char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// "" when `file` is an executable regular file, else why not.
std::string unusable(const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return std::strerror(errno);
  if (S_ISDIR(st.st_mode)) return "it is a directory";
  if (!S_ISREG(st.st_mode)) return "it is not a regular file";
  if (::access(file.c_str(), X_OK) != 0)
    return "it is not executable (" + std::string(std::strerror(errno)) + ")";
  return "";
}

void set(std::vector<std::string>& environment, const std::string& name, const std::string& value) {
  for (auto& entry : environment) {
    if (entry.compare(0, name.size() + 1, name + "=") == 0) {
      entry = name + "=" + value;
      return;
    }
  }
  environment.push_back(name + "=" + value);
}

}  // namespace

std::string default_path(const char* host_path) {
  if (host_path != nullptr && *host_path != '\0') return host_path;
  return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

std::optional<Refusal> child_environment(const std::vector<std::string>& env, const char* host_path,
                                         const char* host_lang, const char* host_lc_all,
                                         const char* host_tz, std::vector<std::string>& out) {
  std::vector<std::string> environment = {"PATH=" + default_path(host_path)};
  if (host_lang != nullptr) set(environment, "LANG", host_lang);
  if (host_lc_all != nullptr) set(environment, "LC_ALL", host_lc_all);
  if (host_tz != nullptr) set(environment, "TZ", host_tz);
  for (const std::string& entry : env) {
    const size_t equals = entry.find('=');
    const std::string name = entry.substr(0, equals);
    if (equals == std::string::npos || !valid_name(name)) {
      return Refusal{"env", "env entry '" + entry +
                                "' is not NAME=value (NAME: letters, digits and _, not "
                                "starting with a digit), e.g. LC_ALL=C"};
    }
    set(environment, name, entry.substr(equals + 1));
  }
  out = std::move(environment);
  return std::nullopt;
}

std::optional<std::string> environment_value(const std::vector<std::string>& environment,
                                             const std::string& name) {
  for (const auto& entry : environment) {
    if (entry.compare(0, name.size() + 1, name + "=") == 0) return entry.substr(name.size() + 1);
  }
  return std::nullopt;
}

std::optional<Refusal> resolve_program(const std::vector<std::string>& command,
                                       const std::string& path, const std::string& workdir,
                                       std::string& resolved) {
  if (command.empty() || command.front().empty()) {
    return Refusal{"command",
                   "command is empty: give the program and its arguments as a list, e.g. "
                   "[/usr/lib/nagios/plugins/check_tcp, -H, 127.0.0.1, -p, '80']"};
  }
  const std::string& program = command.front();
  if (program.find('/') == std::string::npos) {
    std::string tried;
    size_t start = 0;
    while (start <= path.size()) {
      size_t end = path.find(':', start);
      if (end == std::string::npos) end = path.size();
      // An empty PATH entry means the working directory: not for a daemon.
      const std::string dir = path.substr(start, end - start);
      start = end + 1;
      if (dir.empty() || dir[0] != '/') continue;
      const std::string candidate = dir + "/" + program;
      if (unusable(candidate).empty()) {
        resolved = candidate;
        return std::nullopt;
      }
    }
    return Refusal{"command", "command: program '" + program + "' is not found in PATH (" + path +
                                  "); write its absolute path"};
  }
  std::string file = program;
  if (program[0] != '/') {
    if (workdir.empty()) {
      return Refusal{"command", "command: program '" + program +
                                    "' is a relative path; write an absolute path, or set "
                                    "workdir to the folder it is relative to"};
    }
    file = workdir + "/" + program;
  }
  const std::string why = unusable(file);
  if (!why.empty()) return Refusal{"command", "command: cannot run '" + file + "': " + why};
  resolved = file;
  return std::nullopt;
}

std::optional<Refusal> check_workdir(const std::string& workdir) {
  if (workdir.empty()) return std::nullopt;
  if (workdir[0] != '/')
    return Refusal{"workdir", "workdir '" + workdir + "' is not an absolute path"};
  struct stat st {};
  if (::stat(workdir.c_str(), &st) != 0) {
    return Refusal{"workdir", "workdir '" + workdir + "' cannot be used: " + std::strerror(errno)};
  }
  if (!S_ISDIR(st.st_mode))
    return Refusal{"workdir", "workdir '" + workdir + "' is not a directory"};
  return std::nullopt;
}

}  // namespace opr::exec
