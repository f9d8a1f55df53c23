// What this folder's newer tests share: config lines for targets of the
// control test pack (target NAME's probe does what harness.file(NAME +
// ".cmd") says and logs its runs to harness.file(NAME + ".log")), a config
// written whole, and a clean stop.
#pragma once

#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "host_harness.h"

namespace opr::test {

// `check_extra` ends the probe's flow mapping (", interval: 1h");
// `target_extra` lines (4 spaces in) go before `checks:`.
inline std::string control_target(const HostHarness& harness, const std::string& name,
                                  const std::string& check_extra = ", interval: 100ms",
                                  const std::string& target_extra = "") {
  return "  - name: " + name + "\n    pack: control\n" + target_extra +
         "    checks:\n      probe: {command_file: " + harness.file(name + ".cmd").string() +
         ", log_file: " + harness.file(name + ".log").string() + check_extra + "}\n";
}

// Replaces the harness's config with `text`, whole (HostHarness::write_config
// names the harness's database and pack folder itself), through a side file
// so a reload never reads half of it.
inline void write_whole_config(const HostHarness& harness, const std::string& text) {
  const auto temp = harness.file("operator.yaml.new");
  write_file(temp, text);
  std::filesystem::rename(temp, harness.config_path());
}

// How many runs of target NAME's probe have started.
inline int runs_of(const HostHarness& harness, const std::string& name) {
  return count_lines(harness.file(name + ".log"), "probe start");
}

// SIGTERM, and the clean exit it promises.
inline void stop_host(Process& host) {
  host.signal(SIGTERM);
  EXPECT_EQ(host.wait(std::chrono::seconds(30)), 0) << host.err();
}

}  // namespace opr::test
