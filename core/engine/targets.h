// What the engine knows of each target between runs: its checks' schedule,
// the calls into its pack in flight, and its failure state (the cause each
// check last failed for, the runner's restart pause). Built from a Setup at
// start and rebuilt on reload, keeping what a reload did not change.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "engine/setup.h"
#include "plugins/pack_instance.h"

namespace opr::engine {

using SteadyTime = std::chrono::steady_clock::time_point;
inline constexpr SteadyTime kNever = SteadyTime::max();

// A target's runner that died is started again after a pause that doubles
// with each death in a row, from the first to the last.
inline constexpr std::chrono::milliseconds kFirstRestartDelay{1000};
inline constexpr std::chrono::milliseconds kMaxRestartDelay{60'000};

struct CheckState {
  config::CheckConfig config;
  SteadyTime next_due = kNever;
  bool queued = false;
  std::size_t order = 0;  // position in the config, for --once reports

  // The cause (ABI 1.3) a failed run counts for, given the cause the pack
  // named ("" for none) and whether the run was ended at its timeout. A
  // run the host ended at its timeout says nothing, so it counts for the
  // cause the check last failed for: a dependency that hangs is then one
  // streak, whether the pack's own request or the host's timeout ends each
  // run first.
  const std::string& failed_for(const std::string& named_cause, bool ended_at_timeout);
  // A run went well: the next failure starts a new streak.
  void succeeded() { last_cause_.clear(); }

 private:
  std::string last_cause_;
};

struct TargetState {
  config::TargetConfig config;  // checks live in `checks`
  std::shared_ptr<const plugins::LoadedPack> pack;
  std::shared_ptr<plugins::Instance> instance;  // created on first use
  std::vector<CheckState> checks;
  std::deque<std::string> queue;     // checks due while the instance was busy or being made
  std::optional<uint64_t> busy_run;  // the engine's job: the run inside the instance
  std::optional<uint64_t> creating;  // the engine's job: the create() the instance waits for
  // After the target's runner died: why, and when a new one may start.
  std::string runner_death;
  SteadyTime restart_at{};

  CheckState* find(const std::string& name);
  // The runner is gone (`death` says why): a new one may start only after
  // a pause, doubling with each death in a row up to kMaxRestartDelay.
  // Returns the pause.
  std::chrono::milliseconds pause_runner(const std::string& death, SteadyTime now);
  // A run went well on the runner: the next death pauses kFirstRestartDelay.
  void runner_ok() { restart_delay_ = std::chrono::milliseconds(0); }

 private:
  std::chrono::milliseconds restart_delay_{0};  // the last pause; 0 after a run that went well
};

using Targets = std::vector<std::unique_ptr<TargetState>>;

// The targets of `from`, in config order. A target of `previous` whose
// pack, parameters, isolation and runner limits are the same is taken
// over (moved out of `previous`, with its instance, queue and failure
// state); what is left in `previous` was dropped. A check whose settings
// are the same keeps its next run; a new or changed enabled check first
// runs at now (in `once` mode) or spread over its interval
// (first_run_offset); a disabled one never. Queued checks that still exist
// and are enabled stay queued.
Targets build_targets(const Setup& from, Targets& previous, SteadyTime now, bool once);

// How many checks of `targets` are enabled.
std::size_t enabled_checks(const Targets& targets);
// The intervals of the enabled checks (for the cycle's period).
std::vector<std::chrono::milliseconds> enabled_intervals(const Targets& targets);

TargetState* find_target(const Targets& targets, const std::string& name);

// A check's name in logs and recordings: "target/check".
std::string qualified(const std::string& target, const std::string& check);

}  // namespace opr::engine
