#include "engine/instances.h"

#include "engine/logging.h"
#include "isolation/runner_instance.h"

namespace opr::engine {

isolation::RunnerOptions runner_options(const config::RunnerLimitsConfig& limits) {
  isolation::RunnerOptions options;
  options.limits.memory_mb = limits.memory_mb;
  options.limits.open_files = limits.open_files;
  options.log_level = current_log_level();
  return options;
}

std::shared_ptr<plugins::Instance> make_instance(const config::TargetConfig& target,
                                                 std::shared_ptr<const plugins::LoadedPack> pack,
                                                 std::shared_ptr<http::Client> http) {
  if (target.isolation == config::Isolation::in_process) {
    return std::make_shared<plugins::PackInstance>(std::move(pack), target.name, target.params,
                                                   std::move(http));
  }
  return std::make_shared<isolation::RunnerInstance>(std::move(pack), target.name, target.params,
                                                     target.timeout,
                                                     runner_options(target.runner_limits));
}

std::chrono::milliseconds call_overrun(const config::TargetConfig& target) {
  return target.isolation == config::Isolation::process ? isolation::kCallOverrun
                                                        : std::chrono::milliseconds(0);
}

}  // namespace opr::engine
