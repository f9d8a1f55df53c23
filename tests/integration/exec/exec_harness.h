// operator-host with only the exec pack, and the pieces its tests write:
// scripts, targets, and a look at whether a process is still alive.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "host_harness.h"

namespace opr::test {

// Where Debian's monitoring-plugins-basic puts its plugins.
std::filesystem::path nagios_plugin(const std::string& name);

class ExecHarness : public HostHarness {
 public:
  ExecHarness();

  // Writes an executable `#!/bin/sh` script of `body` into the harness's
  // folder; returns its path.
  std::string script(const std::string& name, const std::string& body) const;
};

// `command` as a YAML flow list of single-quoted strings.
std::string yaml_list(const std::vector<std::string>& command);

// Config lines of exec target `name` running `command`; `extra` lines (4
// spaces in) follow.
std::string exec_target(const std::string& name, const std::vector<std::string>& command,
                        const std::string& extra = "");

// Whether `pid` is a live process (a zombie waiting for its adopter is not).
bool alive(int pid);

// The pid a script wrote to `file`, waiting for it up to 10 s; 0 if none.
int read_pid(const std::filesystem::path& file);

}  // namespace opr::test
