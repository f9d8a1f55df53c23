// Targets and checks as a config would give them, for the tests of what the
// engine makes of them.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "config/config.h"
#include "engine/setup.h"

namespace opr::engine::testing {

inline config::CheckConfig check(const std::string& name,
                                 std::chrono::milliseconds interval = std::chrono::seconds(10),
                                 bool enabled = true) {
  config::CheckConfig c;
  c.name = name;
  c.interval = interval;
  c.enabled = enabled;
  return c;
}

inline config::TargetConfig target(const std::string& name,
                                   std::vector<config::CheckConfig> checks) {
  config::TargetConfig t;
  t.name = name;
  t.pack = "tikv";
  t.checks = std::move(checks);
  return t;
}

inline Setup setup_of(std::vector<config::TargetConfig> targets) {
  Setup setup;
  setup.config.targets = std::move(targets);
  return setup;
}

}  // namespace opr::engine::testing
