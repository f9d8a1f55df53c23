// One configured program: what the target's runs start, checked once when
// the instance is created, so that a program that is missing or cannot be
// executed is a config error (`config check`, the monitor's start), not a
// failed run at 3 a.m.
#pragma once

#include <operator/plugin.hpp>

#include "process.h"
#include "reading.h"

namespace opr::exec {

class ExecTarget {
 public:
  // Reads command, mode, env, workdir and max_output_bytes. Throws
  // sdk::ParamError naming the parameter whose value cannot be used.
  ExecTarget(const sdk::Host& host, const sdk::Params& params);

  const ProcessSpec& spec() const { return spec_; }
  Mode mode() const { return mode_; }

 private:
  ProcessSpec spec_;
  Mode mode_ = Mode::kNagios;
};

// The pack's one check: run the program, read its verdict.
class StatusCheck : public sdk::Check<ExecTarget> {
 public:
  void run(ExecTarget& target, sdk::Run& run) override;
};

}  // namespace opr::exec
