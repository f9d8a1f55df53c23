// `operator-host pack-runner`: the child process one isolated target's pack
// runs in (not a user command; the host starts it, see isolation/runner.h).
//
// It talks to its host over fd 3 (a socketpair) in the framed protocol of
// isolation/frame.h: load the pack file, create the instance, run checks,
// destroy it. It serves the pack the very same op_host_api as the host does
// in-process (plugins::PackInstance: HTTP through the host's libcurl client,
// parameters, clocks, logging), and sends each run's whole outcome, with
// the lines the pack logged, in one frame.
//
// Before any pack code runs it closes every other descriptor it inherited,
// applies its resource limits (address space, open files) and ignores
// SIGINT, SIGTERM and SIGHUP, which are for the host to act on. It exits
// when the host closes its end or asks it to destroy the instance.
#pragma once

#include <string>
#include <vector>

namespace opr::isolation {

// The word that selects runner mode: `operator-host pack-runner ARGS...`.
inline constexpr const char* kRunnerCommand = "pack-runner";

// Runs the runner until the host lets it go; `args` are the words after
// kRunnerCommand. Returns the exit code.
int run_pack_runner(const std::vector<std::string>& args);

}  // namespace opr::isolation
