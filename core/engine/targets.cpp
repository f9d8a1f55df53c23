#include "engine/targets.h"

#include <algorithm>

#include "engine/schedule.h"

namespace opr::engine {

namespace {

bool same_settings(const config::CheckConfig& a, const config::CheckConfig& b) {
  return a.index == b.index && a.enabled == b.enabled && a.interval == b.interval &&
         a.timeout == b.timeout && a.grace == b.grace && a.severity == b.severity &&
         a.failed_severity == b.failed_severity && a.params == b.params;
}

// A target whose instance a reload can keep: the same pack, made the same way.
bool same_instance(const config::TargetConfig& a, const config::TargetConfig& b) {
  return a.name == b.name && a.pack == b.pack && a.params == b.params &&
         a.isolation == b.isolation && a.runner_limits == b.runner_limits;
}

template <typename Visit>
void for_each_enabled(const Targets& targets, Visit visit) {
  for (const auto& target : targets) {
    for (const auto& check : target->checks) {
      if (check.config.enabled) visit(check);
    }
  }
}

}  // namespace

const std::string& CheckState::failed_for(const std::string& named_cause, bool ended_at_timeout) {
  if (!named_cause.empty() || !ended_at_timeout) last_cause_ = named_cause;
  return last_cause_;
}

CheckState* TargetState::find(const std::string& name) {
  for (auto& check : checks) {
    if (check.config.name == name) return &check;
  }
  return nullptr;
}

std::chrono::milliseconds TargetState::pause_runner(const std::string& death, SteadyTime now) {
  runner_death = death;
  restart_delay_ = restart_delay_.count() == 0 ? kFirstRestartDelay
                                               : std::min(restart_delay_ * 2, kMaxRestartDelay);
  restart_at = now + restart_delay_;
  return restart_delay_;
}

Targets build_targets(const Setup& from, Targets& previous, SteadyTime now, bool once) {
  std::size_t enabled = 0;
  for (const auto& target : from.config.targets) {
    enabled += static_cast<std::size_t>(std::count_if(target.checks.begin(), target.checks.end(),
                                                      [](const auto& c) { return c.enabled; }));
  }
  Targets built;
  std::size_t position = 0;  // among enabled checks, for the start spread
  std::size_t order = 0;
  for (const auto& target_config : from.config.targets) {
    std::unique_ptr<TargetState> state;
    auto kept = std::find_if(previous.begin(), previous.end(), [&](const auto& old) {
      return old && same_instance(old->config, target_config);
    });
    std::vector<CheckState> old_checks;
    if (kept != previous.end()) {
      state = std::move(*kept);
      old_checks = std::move(state->checks);
    } else {
      state = std::make_unique<TargetState>();
      if (auto pack = from.packs.find(target_config.pack); pack != from.packs.end()) {
        state->pack = pack->second;
      }
    }
    state->config = target_config;
    state->config.checks.clear();
    state->checks.clear();
    for (const auto& check_config : target_config.checks) {
      auto old = std::find_if(old_checks.begin(), old_checks.end(), [&](const CheckState& c) {
        return c.config.name == check_config.name;
      });
      // A check keeps its failure state (the cause of its streak) across
      // reloads, as its tickets keep their streaks.
      CheckState check = old != old_checks.end() ? std::move(*old) : CheckState{};
      const bool unchanged = old != old_checks.end() && same_settings(check.config, check_config);
      check.config = check_config;
      check.order = order++;
      check.queued = false;
      if (!check_config.enabled) {
        check.next_due = kNever;
      } else {
        if (!unchanged) {
          check.next_due =
              once ? now : now + first_run_offset(position, enabled, check_config.interval);
        }
        ++position;
      }
      state->checks.push_back(std::move(check));
    }
    std::deque<std::string> queue;
    for (const auto& name : state->queue) {
      if (auto* check = state->find(name); check != nullptr && check->config.enabled) {
        check->queued = true;
        queue.push_back(name);
      }
    }
    state->queue = std::move(queue);
    built.push_back(std::move(state));
  }
  return built;
}

std::size_t enabled_checks(const Targets& targets) {
  std::size_t count = 0;
  for_each_enabled(targets, [&](const CheckState&) { ++count; });
  return count;
}

std::vector<std::chrono::milliseconds> enabled_intervals(const Targets& targets) {
  std::vector<std::chrono::milliseconds> intervals;
  for_each_enabled(targets,
                   [&](const CheckState& check) { intervals.push_back(check.config.interval); });
  return intervals;
}

TargetState* find_target(const Targets& targets, const std::string& name) {
  for (const auto& target : targets) {
    if (target->config.name == name) return target.get();
  }
  return nullptr;
}

std::string qualified(const std::string& target, const std::string& check) {
  return target + "/" + check;
}

}  // namespace opr::engine
