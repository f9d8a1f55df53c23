// What a target's program is, checked before it ever runs: the command's
// first word resolved to an executable file, the environment given whole,
// the working directory. Every refusal names the parameter to fix, so that
// `config check` and the monitor's start point at its line.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace opr::exec {

// A parameter's value that cannot be used; what() says why and how to fix it.
class ParamProblem : public std::runtime_error {
 public:
  ParamProblem(std::string param, const std::string& message)
      : std::runtime_error(message), param_(std::move(param)) {}
  const std::string& param() const { return param_; }

 private:
  std::string param_;
};

// The PATH a program's name is looked up in and the child gets when `env`
// sets none: the host's, else Debian's default for a service.
std::string default_path(const char* host_path);

// The child's whole environment: PATH (the host's, see default_path), LANG,
// LC_ALL and TZ when the host has them, then `env`'s NAME=value entries,
// which win. The host's other variables (the database's connection string,
// tokens) are not passed on. Throws ParamProblem("env") on an entry that is
// not NAME=value with NAME of letters, digits and _ not starting with a digit.
std::vector<std::string> child_environment(const std::vector<std::string>& env,
                                           const char* host_path, const char* host_lang,
                                           const char* host_lc_all, const char* host_tz);

// The value of `name` in an environment of NAME=value entries, or nullopt.
std::optional<std::string> environment_value(const std::vector<std::string>& environment,
                                             const std::string& name);

// The absolute path of the program `command` runs: command[0] as written
// when absolute; looked up in `path` (colon-separated) when a bare name;
// taken from `workdir` when relative with a slash (refused without one).
// Throws ParamProblem("command") when the list is empty, or the program is
// missing, not a regular file or not executable.
std::string resolve_program(const std::vector<std::string>& command, const std::string& path,
                            const std::string& workdir);

// Throws ParamProblem("workdir") unless `workdir` is "" or an absolute
// path to a directory that exists.
void check_workdir(const std::string& workdir);

}  // namespace opr::exec
