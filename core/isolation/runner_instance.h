// A target's pack instance inside a runner process of its own: what the
// engine drives for a target with `isolation: process`.
//
// The host enforces what in-process code can only ask for. A run that has
// not returned by its deadline is cancelled (the pack sees run_cancelled);
// one still out after kKillGrace more gets its runner killed and fails as
// "timed out after 10s; pack 'x' did not return, its runner was killed". A
// runner that dies during a call (a signal, exit(), a stack overflow, its
// memory limit) fails that call naming the pack and how it ended. Either
// way the instance is then broken() and the engine starts a new one.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/param_value.h"
#include "isolation/runner.h"
#include "plugins/pack_instance.h"
#include "plugins/pack_loader.h"

namespace opr::isolation {

// How long past its deadline a call may go on after it was told to stop,
// before its runner is killed.
inline constexpr std::chrono::milliseconds kKillGrace{2000};
// How long past its timeout any call into a runner can take at worst
// (kKillGrace, then killing and reaping): the engine's own safety margin.
inline constexpr std::chrono::milliseconds kCallOverrun = kKillGrace + std::chrono::seconds(3);

// A create() that could not give an instance because the runner died, was
// killed or broke the protocol: the runner should be started again only
// after a pause.
class RunnerFailure : public plugins::InstanceError {
 public:
  explicit RunnerFailure(const std::string& message)
      : plugins::InstanceError(message, std::nullopt) {}
};

class RunnerInstance final : public plugins::Instance {
 public:
  // Starts a runner, has it load `pack`'s file and create the instance for
  // `target` with `pack_params`, waiting at most `timeout` for each (then
  // kKillGrace). Throws plugins::InstanceError with what create() refused,
  // or RunnerFailure when the runner did not get that far.
  RunnerInstance(std::shared_ptr<const plugins::LoadedPack> pack, std::string target,
                 const ParamMap& pack_params, std::chrono::milliseconds timeout,
                 const RunnerOptions& options);
  // destroy() in the runner, waited for at most the timeout (then
  // kKillGrace); the runner is killed if it is still there.
  ~RunnerInstance() override;

  plugins::RunResult run(uint32_t check_index, const ParamMap& check_params,
                         plugins::RunControl& control) override;
  std::optional<std::string> broken() const override;
  void abandon() override;

 private:
  // Why a call that got no reply failed ("pack 'x' crashed with SIGSEGV
  // during the run"); the instance is broken after it.
  std::string failure(const Reply& reply, const std::string& during);

  std::shared_ptr<const plugins::LoadedPack> pack_;
  std::string target_;
  std::chrono::milliseconds timeout_;
  RunnerLimits limits_;
  std::unique_ptr<RunnerProcess> process_;
  std::optional<std::string> broken_;
};

}  // namespace opr::isolation
