#include "engine/engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "common/duration.h"
#include "common/time_format.h"
#include "engine/evaluator.h"
#include "engine/schedule.h"
#include "engine/worker_pool.h"
#include "http/client.h"
#include "plugins/pack_instance.h"
#include "tickets/ticket_store.h"

namespace opr::engine {

namespace {

using SteadyClock = std::chrono::steady_clock;
using SteadyTime = SteadyClock::time_point;
using std::chrono::milliseconds;

constexpr SteadyTime kNever = SteadyTime::max();

// What workers and the signal thread tell the engine's loop.
struct Event {
  enum class Kind { started, finished } kind;
  uint64_t run_id = 0;
  SteadyTime at;
  plugins::RunResult result;
};

struct Mailbox {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Event> events;
  bool stop = false;
  bool reload = false;

  void post(Event event) {
    std::lock_guard lock(mutex);
    events.push_back(std::move(event));
    wake.notify_one();
  }
};

// Instances whose run never returned. Reachable on purpose (so leak checkers
// stay quiet) and never destroyed: the pack may still be inside them.
std::vector<std::shared_ptr<plugins::PackInstance>>& abandoned_instances() {
  static auto* instances = new std::vector<std::shared_ptr<plugins::PackInstance>>;
  return *instances;
}

bool same_settings(const config::CheckConfig& a, const config::CheckConfig& b) {
  return a.index == b.index && a.enabled == b.enabled && a.interval == b.interval &&
         a.timeout == b.timeout && a.grace == b.grace && a.severity == b.severity &&
         a.params == b.params;
}

int default_workers() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 2 : static_cast<int>(cores);
}

std::string qualified(const std::string& target, const std::string& check) {
  return target + "/" + check;
}

}  // namespace

struct Engine::Impl {
  struct CheckState {
    config::CheckConfig config;
    SteadyTime next_due = kNever;
    int consecutive_failures = 0;
    bool queued = false;
    std::size_t order = 0;  // position in the config, for --once reports
  };

  struct TargetState {
    config::TargetConfig config;  // checks live in `checks`
    std::shared_ptr<const plugins::LoadedPack> pack;
    std::shared_ptr<plugins::PackInstance> instance;  // created on first use
    std::vector<CheckState> checks;
    std::deque<std::string> queue;     // checks due while the instance was busy
    std::optional<uint64_t> busy_run;  // the run inside the instance

    CheckState* find(const std::string& name) {
      for (auto& check : checks) {
        if (check.config.name == name) return &check;
      }
      return nullptr;
    }
  };

  struct InFlight {
    std::string target;
    std::string check;
    std::shared_ptr<plugins::PackInstance> instance;  // alive until the run returns
    std::shared_ptr<plugins::RunControl> control;
    milliseconds timeout{0};
    SteadyTime deadline = kNever;  // known once the run started
    SteadyTime started_at;
    TimePoint wall_started;
    std::string batch_key;
    bool timed_out = false;
  };

  struct CycleStats {
    int runs = 0;
    int violations = 0;
    int failures = 0;
  };

  Impl(Setup s, tickets::TicketStore& st, SetupLoader l)
      : setup(std::move(s)), store(st), loader(std::move(l)) {}

  Setup setup;
  tickets::TicketStore& store;
  SetupLoader loader;
  std::shared_ptr<Mailbox> mailbox = std::make_shared<Mailbox>();
  std::shared_ptr<http::Client> http = std::make_shared<http::Client>();
  std::unique_ptr<WorkerPool> pool;
  std::vector<std::unique_ptr<TargetState>> targets;  // config order
  std::map<uint64_t, InFlight> in_flight;
  uint64_t next_run_id = 1;

  bool once = false;
  std::size_t once_expected = 0;
  std::vector<std::pair<std::size_t, CheckReport>> once_reports;

  bool stopping = false;
  SteadyTime stop_deadline = kNever;
  bool abandoned = false;

  milliseconds period{kDefaultCycle};
  SteadyTime heartbeat_due = kNever;
  TimePoint cycle_start_wall;
  CycleStats stats;

  // ---- building the schedule ----

  std::vector<std::unique_ptr<TargetState>> build_targets(
      const Setup& from, std::vector<std::unique_ptr<TargetState>> previous, SteadyTime now) {
    std::size_t enabled = 0;
    for (const auto& target : from.config.targets) {
      for (const auto& check : target.checks) enabled += check.enabled ? 1 : 0;
    }
    std::vector<std::unique_ptr<TargetState>> built;
    std::size_t position = 0;
    std::size_t order = 0;
    for (const auto& target_config : from.config.targets) {
      std::unique_ptr<TargetState> state;
      for (auto& old : previous) {
        if (old && old->config.name == target_config.name &&
            old->config.pack == target_config.pack && old->config.params == target_config.params) {
          state = std::move(old);
          break;
        }
      }
      std::vector<CheckState> old_checks;
      if (state) {
        old_checks = std::move(state->checks);
      } else {
        state = std::make_unique<TargetState>();
        auto pack = from.packs.find(target_config.pack);
        if (pack != from.packs.end()) state->pack = pack->second;
      }
      state->config = target_config;
      state->config.checks.clear();
      state->checks.clear();
      for (const auto& check_config : target_config.checks) {
        CheckState check;
        check.config = check_config;
        check.order = order++;
        auto old = std::find_if(old_checks.begin(), old_checks.end(), [&](const CheckState& c) {
          return c.config.name == check_config.name;
        });
        if (old != old_checks.end() && same_settings(old->config, check_config)) {
          check.next_due = old->next_due;
          check.consecutive_failures = old->consecutive_failures;
        } else if (check_config.enabled) {
          check.next_due =
              once ? now : now + first_run_offset(position, enabled, check_config.interval);
        }
        if (!check_config.enabled) check.next_due = kNever;
        if (check_config.enabled) ++position;
        state->checks.push_back(std::move(check));
      }
      // Queued checks that still exist stay queued.
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

  void start_cycles(SteadyTime now) {
    std::vector<milliseconds> intervals;
    for (const auto& target : targets) {
      for (const auto& check : target->checks) {
        if (check.config.enabled) intervals.push_back(check.config.interval);
      }
    }
    period = cycle_period(intervals);
    cycle_start_wall = now_ms();
    heartbeat_due = once ? kNever : now + period;
  }

  TargetState* find_target(const std::string& name) {
    for (auto& target : targets) {
      if (target->config.name == name) return target.get();
    }
    return nullptr;
  }

  // ---- running checks ----

  void record_failure(TargetState& target, CheckState& check, const std::string& error,
                      milliseconds duration) {
    ++stats.runs;
    ++stats.failures;
    ++check.consecutive_failures;
    const std::string name = qualified(target.config.name, check.config.name);
    const tickets::FailedRun failed{.target = target.config.name,
                                    .check = check.config.name,
                                    .error = error,
                                    .threshold = setup.config.defaults.failure_threshold,
                                    .severity = check.config.severity,
                                    .at = now_ms()};
    try {
      // The count lives in the database: it goes on across restarts.
      const auto outcome = store.apply_failure(failed);
      spdlog::warn("{} failed ({} in a row): {}", name, outcome.consecutive_failures, error);
    } catch (const std::exception& e) {
      spdlog::warn("{} failed: {}", name, error);
      spdlog::error("could not record the failure of {}: {}", name, e.what());
    }
    if (once) {
      CheckReport report;
      report.target = target.config.name;
      report.check = check.config.name;
      report.error = error;
      report.duration = duration;
      once_reports.emplace_back(check.order, std::move(report));
    }
  }

  void record_success(TargetState& target, CheckState& check, const plugins::RunResult& result,
                      const std::string& batch) {
    ++stats.runs;
    stats.violations += static_cast<int>(result.violations.size());
    check.consecutive_failures = 0;
    const std::string name = qualified(target.config.name, check.config.name);
    try {
      const auto outcome = store.apply_success(
          successful_run(target.config.name, check.config, result, now_ms(), batch));
      spdlog::debug(
          "{} ok in {} ms: {} violations ({} opened, {} updated, {} pending, {} resolved)", name,
          result.duration.count(), result.violations.size(), outcome.opened, outcome.updated,
          outcome.pending, outcome.resolved);
      if (outcome.opened > 0) spdlog::info("{} opened {} ticket(s)", name, outcome.opened);
      if (outcome.resolved > 0) spdlog::info("{} resolved {} ticket(s)", name, outcome.resolved);
    } catch (const std::exception& e) {
      spdlog::error("could not record the result of {}: {}", name, e.what());
    }
    if (once) {
      CheckReport report;
      report.target = target.config.name;
      report.check = check.config.name;
      report.ok = true;
      report.duration = result.duration;
      for (const auto& v : result.violations) {
        report.violations.push_back(
            {v.subject, v.message, effective_severity(v.severity, check.config.severity)});
      }
      once_reports.emplace_back(check.order, std::move(report));
    }
  }

  void dispatch(TargetState& target, CheckState& check) {
    if (stopping) return;
    if (target.busy_run) {
      if (!check.queued) {
        check.queued = true;
        target.queue.push_back(check.config.name);
      }
      return;
    }
    if (!target.instance) {
      std::string error;
      if (!target.pack) {
        error = "pack '" + target.config.pack + "' is not loaded";
      } else {
        try {
          target.instance = std::make_shared<plugins::PackInstance>(target.pack, target.config.name,
                                                                    target.config.params, http);
        } catch (const std::exception& e) {
          error = std::string("could not create the pack instance: ") + e.what();
        }
      }
      if (!target.instance) {
        record_failure(target, check, error, milliseconds(0));
        return;
      }
    }
    const uint64_t run_id = next_run_id++;
    InFlight run;
    run.target = target.config.name;
    run.check = check.config.name;
    run.instance = target.instance;
    run.control = std::make_shared<plugins::RunControl>();
    run.timeout = check.config.timeout;
    run.wall_started = now_ms();
    run.batch_key = batch_key(target.config.name, cycle_start_wall);
    target.busy_run = run_id;

    pool->submit([instance = target.instance, control = run.control, index = check.config.index,
                  params = check.config.params, timeout = check.config.timeout, box = mailbox,
                  run_id]() mutable {
      Event done{Event::Kind::finished, run_id, {}, {}};
      if (control->cancelled) {
        done.result.error = "cancelled before it started";
      } else {
        const SteadyTime start = SteadyClock::now();
        control->deadline = start + timeout;
        box->post({Event::Kind::started, run_id, start, {}});
        done.result = instance->run(index, params, *control);
      }
      // The engine's loop, not this thread, destroys instances.
      instance.reset();
      done.at = SteadyClock::now();
      box->post(std::move(done));
    });
    in_flight.emplace(run_id, std::move(run));
  }

  void dispatch_queued(TargetState& target) {
    while (!target.busy_run && !target.queue.empty() && !stopping) {
      const std::string name = target.queue.front();
      target.queue.pop_front();
      CheckState* check = target.find(name);
      if (check == nullptr || !check->config.enabled) continue;
      check->queued = false;
      dispatch(target, *check);
    }
  }

  void on_started(const Event& event) {
    auto it = in_flight.find(event.run_id);
    if (it == in_flight.end()) return;
    it->second.started_at = event.at;
    if (!it->second.timed_out) it->second.deadline = event.at + it->second.timeout;
  }

  void on_finished(Event& event) {
    auto it = in_flight.find(event.run_id);
    if (it == in_flight.end()) return;
    InFlight run = std::move(it->second);
    in_flight.erase(it);
    TargetState* target = find_target(run.target);
    const bool current = target != nullptr && target->busy_run == event.run_id;
    if (current) target->busy_run.reset();

    if (run.timed_out) {
      pool->retire_worker();
      const auto late = std::chrono::duration_cast<milliseconds>(event.at - run.started_at);
      spdlog::info("{} returned after {} ms (timeout {}); its result is ignored",
                   qualified(run.target, run.check), late.count(), format_duration(run.timeout));
    } else if (stopping) {
      spdlog::debug("{} ended during shutdown; its result is not recorded",
                    qualified(run.target, run.check));
    } else if (current) {
      CheckState* check = target->find(run.check);
      if (check != nullptr && check->config.enabled) {
        if (event.result.ok) {
          record_success(*target, *check, event.result, run.batch_key);
        } else {
          record_failure(*target, *check, event.result.error, event.result.duration);
        }
      }
    }
    run.instance.reset();  // may destroy an instance a reload dropped, on this thread
    if (current) dispatch_queued(*target);
  }

  void time_out(uint64_t run_id, InFlight& run) {
    run.timed_out = true;
    run.deadline = kNever;
    run.control->cancelled = true;
    pool->add_worker();  // so other checks keep their schedule
    const std::string error = "timed out after " + format_duration(run.timeout);
    spdlog::warn("{} {}; {} is not run again until the call returns",
                 qualified(run.target, run.check), error, run.target);
    TargetState* target = find_target(run.target);
    if (target == nullptr || target->busy_run != run_id) return;
    CheckState* check = target->find(run.check);
    if (check != nullptr && check->config.enabled) {
      record_failure(*target, *check, error, run.timeout);
    }
  }

  // ---- the loop ----

  void fire_timers(SteadyTime now) {
    if (!stopping) {
      for (auto& target : targets) {
        for (auto& check : target->checks) {
          if (!check.config.enabled || check.next_due > now) continue;
          check.next_due = once ? kNever : next_due(check.next_due, check.config.interval, now);
          dispatch(*target, check);
        }
      }
    }
    // During shutdown every run is cancelled already and waited for up to
    // shutdown_timeout; its timeout no longer matters.
    for (auto& [run_id, run] : in_flight) {
      if (!stopping && !run.timed_out && run.deadline <= now) time_out(run_id, run);
    }
    if (heartbeat_due <= now) {
      heartbeat();
      heartbeat_due = next_due(heartbeat_due, period, now);
    }
  }

  SteadyTime next_wake() const {
    SteadyTime wake = heartbeat_due;
    if (!stopping) {
      for (const auto& target : targets) {
        for (const auto& check : target->checks) {
          if (check.config.enabled) wake = std::min(wake, check.next_due);
        }
      }
    } else {
      wake = std::min(wake, stop_deadline);
    }
    if (!stopping) {
      for (const auto& [id, run] : in_flight) wake = std::min(wake, run.deadline);
    }
    return wake;
  }

  void heartbeat() {
    int64_t open = -1;
    try {
      open = store.count_open();
    } catch (const std::exception& e) {
      spdlog::error("could not count open tickets: {}", e.what());
    }
    if (stats.runs > 0 && stats.violations == 0 && stats.failures == 0) {
      spdlog::info("Check complete: {} invariants, all passing", stats.runs);
    } else {
      spdlog::info("Check complete: {} checks run, {} violations, {} failures, {} open tickets",
                   stats.runs, stats.violations, stats.failures, open);
    }
    stats = {};
    cycle_start_wall = now_ms();
  }

  void begin_shutdown(SteadyTime now) {
    stopping = true;
    stop_deadline = now + setup.config.shutdown_timeout;
    for (auto& [id, run] : in_flight) run.control->cancelled = true;
    if (!in_flight.empty()) {
      spdlog::info("stopping: waiting up to {} for {} running check(s)",
                   format_duration(setup.config.shutdown_timeout), in_flight.size());
    } else {
      spdlog::info("stopping");
    }
  }

  void reload(SteadyTime now) {
    if (!loader) return;
    spdlog::info("reloading the config");
    Setup next;
    try {
      next = loader();
    } catch (const std::exception& e) {
      spdlog::error("config reload failed; the running config stays in effect: {}", e.what());
      return;
    }
    targets = build_targets(next, std::move(targets), now);
    setup = std::move(next);
    start_cycles(now);
    std::size_t checks = 0;
    for (const auto& target : targets) {
      for (const auto& check : target->checks) checks += check.config.enabled ? 1 : 0;
    }
    spdlog::info("config reloaded: {} targets, {} enabled checks", targets.size(), checks);
    for (auto& target : targets) dispatch_queued(*target);
  }

  bool once_done() const { return once && once_reports.size() >= once_expected; }

  void loop() {
    for (;;) {
      std::deque<Event> events;
      bool stop_requested = false;
      bool reload_requested = false;
      const SteadyTime wake = next_wake();
      {
        std::unique_lock lock(mailbox->mutex);
        auto ready = [&] { return !mailbox->events.empty() || mailbox->stop || mailbox->reload; };
        if (wake == kNever) {
          mailbox->wake.wait(lock, ready);
        } else {
          mailbox->wake.wait_until(lock, wake, ready);
        }
        events.swap(mailbox->events);
        stop_requested = mailbox->stop;
        reload_requested = mailbox->reload;
        mailbox->reload = false;
      }
      SteadyTime now = SteadyClock::now();
      for (auto& event : events) {
        if (event.kind == Event::Kind::started) {
          on_started(event);
        } else {
          on_finished(event);
        }
      }
      if (stop_requested && !stopping) begin_shutdown(now);
      if (reload_requested && !stopping && !once) reload(now);
      now = SteadyClock::now();
      fire_timers(now);
      if (stopping && (in_flight.empty() || SteadyClock::now() >= stop_deadline)) break;
      if (once_done()) break;
    }
  }

  void finish() {
    if (once && !stopping) heartbeat();
    // Runs still inside a pack: cancel them, keep their instances alive for
    // good, and let the pool's threads go on without us.
    for (auto& [id, run] : in_flight) {
      run.control->cancelled = true;
      abandoned_instances().push_back(run.instance);
      spdlog::warn("{} is still running; abandoning it", qualified(run.target, run.check));
      abandoned = true;
    }
    in_flight.clear();
    const bool all_stopped =
        pool->stop(abandoned ? milliseconds(0) : setup.config.shutdown_timeout);
    if (!all_stopped) abandoned = true;
  }

  void start(SteadyTime now) {
    const int workers = setup.config.workers > 0 ? setup.config.workers : default_workers();
    pool = std::make_unique<WorkerPool>(workers);
    targets = build_targets(setup, {}, now);
    start_cycles(now);
    std::size_t checks = 0;
    for (const auto& target : targets) {
      for (const auto& check : target->checks) checks += check.config.enabled ? 1 : 0;
    }
    once_expected = checks;
    spdlog::info("monitoring {} targets, {} enabled checks, {} workers, cycle {}", targets.size(),
                 checks, workers, format_duration(period));
  }
};

Engine::Engine(Setup setup, tickets::TicketStore& store, SetupLoader reload)
    : impl_(std::make_unique<Impl>(std::move(setup), store, std::move(reload))) {}

Engine::~Engine() = default;

void Engine::run() {
  impl_->once = false;
  impl_->start(SteadyClock::now());
  impl_->loop();
  impl_->finish();
}

std::vector<CheckReport> Engine::run_once() {
  impl_->once = true;
  impl_->start(SteadyClock::now());
  if (impl_->once_expected > 0) impl_->loop();
  impl_->finish();
  auto& reports = impl_->once_reports;
  std::stable_sort(reports.begin(), reports.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<CheckReport> result;
  for (auto& [order, report] : reports) result.push_back(std::move(report));
  return result;
}

void Engine::request_stop() {
  std::lock_guard lock(impl_->mailbox->mutex);
  impl_->mailbox->stop = true;
  impl_->mailbox->wake.notify_one();
}

void Engine::request_reload() {
  std::lock_guard lock(impl_->mailbox->mutex);
  impl_->mailbox->reload = true;
  impl_->mailbox->wake.notify_one();
}

bool Engine::has_abandoned_runs() const { return impl_->abandoned; }

}  // namespace opr::engine
