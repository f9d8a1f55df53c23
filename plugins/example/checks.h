// The checks of the example pack. Neither keeps per-target state, so the
// pack's target type is opr::sdk::NoTarget.
#pragma once

#include <operator/plugin.hpp>

namespace example {

// GET `url`; violated when the status is not in `expect_status`, the
// response took longer than `max_latency_ms`, or no response came at all.
class HttpOkCheck : public opr::sdk::Check<opr::sdk::NoTarget> {
 public:
  void run(opr::sdk::NoTarget& target, opr::sdk::Run& run) override;
};

// Violated when `path` is missing or was last modified more than `max_age` ago.
class FileFreshCheck : public opr::sdk::Check<opr::sdk::NoTarget> {
 public:
  void run(opr::sdk::NoTarget& target, opr::sdk::Run& run) override;
};

}  // namespace example
