// What a target's program is, checked before it ever runs: the command's
// first word resolved to an executable file, the environment given whole,
// the working directory. Every refusal names the parameter to fix, so that
// `config check` and the monitor's start point at its line.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace opr::exec {

// A parameter's value that cannot be used: which, and why (how to fix it).
struct Refusal {
  std::string param;
  std::string message;
};

// The PATH a program's name is looked up in and the child gets when `env`
// sets none: the host's, else Debian's default for a service.
std::string default_path(const char* host_path);

// Writes the child's whole environment to `out`: PATH (the host's, see
// default_path), LANG, LC_ALL and TZ when the host has them, then `env`'s
// NAME=value entries, which win. The host's other variables (the
// database's connection string, tokens) are not passed on. Refuses ("env")
// an entry that is not NAME=value with NAME of letters, digits and _ not
// starting with a digit.
std::optional<Refusal> child_environment(const std::vector<std::string>& env, const char* host_path,
                                         const char* host_lang, const char* host_lc_all,
                                         const char* host_tz, std::vector<std::string>& out);

// The value of `name` in an environment of NAME=value entries, or nullopt.
std::optional<std::string> environment_value(const std::vector<std::string>& environment,
                                             const std::string& name);

// Writes to `program` the absolute path of the program `command` runs:
// command[0] as written when absolute; looked up in `path` (colon-separated)
// when a bare name; taken from `workdir` when relative with a slash (refused
// without one). Refuses ("command") an empty list, and a program that is
// missing, not a regular file or not executable.
std::optional<Refusal> resolve_program(const std::vector<std::string>& command,
                                       const std::string& path, const std::string& workdir,
                                       std::string& program);

// Refuses ("workdir") a `workdir` that is neither "" nor an absolute path
// to a directory that exists.
std::optional<Refusal> check_workdir(const std::string& workdir);

}  // namespace opr::exec
