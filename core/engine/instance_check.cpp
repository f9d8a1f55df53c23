#include "engine/instance_check.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/instances.h"
#include "plugins/call_timeout.h"
#include "plugins/pack_instance.h"

namespace opr::engine {
namespace {

// Where a thread trying one target leaves its outcome.
struct Attempt {
  std::mutex mutex;
  std::condition_variable done;
  bool created = false;  // create() returned, with or without an instance
  bool destroyed = false;
  std::optional<plugins::InstanceError> error;
};

bool has_enabled_check(const config::TargetConfig& target) {
  for (const auto& check : target.checks) {
    if (check.enabled) return true;
  }
  return false;
}

}  // namespace

InstanceCheck check_instances(const Setup& setup, const std::shared_ptr<http::Client>& http) {
  InstanceCheck result;
  for (const auto& target : setup.config.targets) {
    if (!has_enabled_check(target)) continue;
    const auto pack = setup.packs.find(target.pack);
    if (pack == setup.packs.end()) continue;  // resolve_config refused it already

    // The attempt outlives this function when the pack hangs.
    auto attempt = std::make_shared<Attempt>();
    std::thread([attempt, pack = pack->second, config = target, http] {
      std::shared_ptr<plugins::Instance> instance;
      std::optional<plugins::InstanceError> error;
      try {
        instance = make_instance(config, pack, http);
      } catch (const plugins::InstanceError& e) {
        error = e;
      } catch (const std::exception& e) {
        error.emplace(e.what(), std::nullopt);
      }
      {
        std::lock_guard lock(attempt->mutex);
        attempt->created = true;
        attempt->error = std::move(error);
      }
      attempt->done.notify_all();
      instance.reset();  // the pack's destroy
      {
        std::lock_guard lock(attempt->mutex);
        attempt->destroyed = true;
      }
      attempt->done.notify_all();
    }).detach();

    std::unique_lock lock(attempt->mutex);
    // A runner ends its calls itself, a little after the timeout.
    const auto deadline = std::chrono::steady_clock::now() + target.timeout + call_overrun(target);
    // False (and the error recorded) when the pack is still inside `call`.
    const auto returned = [&](const char* call, const bool& flag) {
      if (attempt->done.wait_until(lock, deadline, [&] { return flag; })) return true;
      result.errors.emplace_back(
          target.mark, plugins::did_not_return(call, target.pack, target.name, target.timeout));
      result.abandoned = true;
      return false;
    };
    if (!returned("create()", attempt->created)) continue;
    if (attempt->error) {
      const auto& param = attempt->error->param();
      result.errors.emplace_back(param ? target.mark_of(*param) : target.mark,
                                 attempt->error->what());
      continue;
    }
    returned("destroy()", attempt->destroyed);
  }
  return result;
}

}  // namespace opr::engine
