// What this folder's newer tests share: a config written whole, counting a
// control target's runs (control_target() in host_harness.h), and a clean
// stop.
#pragma once

#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "host_harness.h"

namespace opr::test {

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
