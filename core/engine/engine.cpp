#include "engine/engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "common/duration.h"
#include "common/time_format.h"
#include "engine/cycle_recording.h"
#include "engine/evaluator.h"
#include "engine/instances.h"
#include "engine/outcome_log.h"
#include "engine/ownership.h"
#include "engine/run_recorder.h"
#include "engine/schedule.h"
#include "engine/targets.h"
#include "engine/unwatched_tickets.h"
#include "engine/worker_pool.h"
#include "http/client.h"
#include "http/exchange.h"
#include "isolation/runner_instance.h"
#include "observe/metrics.h"
#include "plugins/call_timeout.h"
#include "tickets/ticket_store.h"

namespace opr::engine {

namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// destroy() at shutdown gets what is left of shutdown_timeout, and at least
// this much when the runs took all of it.
constexpr milliseconds kMinDestroyTime{500};

// How long runners killed at shutdown get to be reaped and their calls to
// come back.
constexpr milliseconds kKilledRunnerWait{2000};

// A call into a pack that the engine waits for on a worker: a check's run,
// or an instance's create() or destroy().
enum class JobKind { run, create, destroy };

// What workers tell the engine's loop.
struct Event {
  enum class Kind { started, finished } kind;
  uint64_t job_id = 0;
  SteadyTime at;
  plugins::RunResult result;                           // run
  std::shared_ptr<plugins::Instance> created;          // create, when it succeeded
  std::optional<plugins::InstanceError> create_error;  // create, when it failed
  bool runner_failed = false;                          // create: the target's runner died or hung
};

struct Mailbox {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Event> events;
  bool stop = false;
  bool reload = false;
  std::vector<std::string> run_now;  // targets this host has just taken over
  // Who waits for what the next reload comes to (POST /-/reload).
  std::vector<std::promise<std::optional<std::string>>> reload_waiters;
  // A recording asked for and not yet armed by the engine's thread.
  std::optional<RecordSink> record_request;
  // From a recording's request until its sink heard finished().
  bool recording = false;

  void post(Event event) {
    std::lock_guard lock(mutex);
    events.push_back(std::move(event));
    wake.notify_one();
  }
};

// Instances a pack may still be inside (a run, create() or destroy() that
// never returned). Reachable on purpose (so leak checkers stay quiet) and
// never destroyed.
std::vector<std::shared_ptr<plugins::Instance>>& abandoned_instances() {
  static auto* instances = new std::vector<std::shared_ptr<plugins::Instance>>;
  return *instances;
}

int default_workers() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 2 : static_cast<int>(cores);
}

// Whole seconds, for "has not returned after 12s".
std::string elapsed_text(SteadyTime since, SteadyTime now) {
  return format_duration(std::chrono::duration_cast<std::chrono::seconds>(now - since));
}

}  // namespace

struct Engine::Impl {
  struct Job {
    JobKind kind = JobKind::run;
    std::string target;
    std::string pack;
    std::string check;  // runs only
    // A run's instance, alive until the run returns; a destroy's is held by
    // the job itself, so that the last reference drops on the worker.
    std::shared_ptr<plugins::Instance> instance;
    // A destroy's instance, to kill its runner at shutdown.
    std::weak_ptr<plugins::Instance> destroying;
    std::shared_ptr<plugins::RunControl> control;  // runs only
    milliseconds timeout{0};
    // How long past the timeout the engine still waits: a runner ends its
    // calls itself (engine/instances.h).
    milliseconds overrun{0};
    SteadyTime deadline = kNever;  // known once a worker started it
    SteadyTime started_at = kNever;
    TimePoint submitted_wall;  // runs: for the run log of several hosts
    std::string batch_key;
    bool timed_out = false;
    // A run of the recording, on an instance of its own; `record_told`: its
    // sink heard of it already (at its timeout).
    bool recording = false;
    bool record_told = false;
  };

  Impl(Setup s, tickets::TicketStore& st, SetupLoader l, observe::Metrics* m, Ownership* o)
      : setup(std::move(s)),
        store(st),
        loader(std::move(l)),
        metrics(m),
        ownership(o),
        recorder(st, m) {}

  Setup setup;
  tickets::TicketStore& store;
  SetupLoader loader;
  observe::Metrics* metrics;  // null: nobody watches
  Ownership* ownership;       // null: every target is this host's (SQLite)
  std::shared_ptr<Mailbox> mailbox = std::make_shared<Mailbox>();
  std::shared_ptr<http::Client> http = std::make_shared<http::Client>();
  std::unique_ptr<WorkerPool> pool;
  Targets targets;               // config order
  std::map<uint64_t, Job> jobs;  // submitted and not yet returned
  uint64_t next_job_id = 1;

  RunRecorder recorder;

  bool once = false;
  std::size_t once_expected = 0;

  CycleRecording recording;  // the one under way, if any

  bool stopping = false;
  bool finished = false;  // guarded by mailbox->mutex: no reload is applied any more
  SteadyTime stop_deadline = kNever;
  bool abandoned = false;

  milliseconds period{kDefaultCycle};
  SteadyTime heartbeat_due = kNever;
  TimePoint cycle_start_wall;

  // ---- the schedule ----

  void start_cycles(SteadyTime now) {
    period = cycle_period(enabled_intervals(targets));
    cycle_start_wall = now_ms();
    heartbeat_due = once ? kNever : now + period;
  }

  // ---- recording outcomes ----

  static RunOf run_of(const TargetState& target, const CheckState& check) {
    return {target.config.name, check.config, check.order};
  }

  // `ended_at_timeout`: the host ended the run (the store then counts it
  // for its streak's cause when the engine does not know one).
  void record_failure(TargetState& target, CheckState& check, const std::string& error,
                      milliseconds duration, bool returned = false, const std::string& cause = {},
                      bool ended_at_timeout = false) {
    recorder.failure(run_of(target, check), error, duration, returned, cause, ended_at_timeout);
  }

  // The targets and enabled checks now scheduled, for the metrics.
  void schedule_metrics() const {
    if (metrics == nullptr) return;
    std::vector<observe::TargetSchedule> schedule;
    for (const auto& target : targets) {
      observe::TargetSchedule entry;
      entry.name = target->config.name;
      for (const auto& check : target->checks) {
        if (check.config.enabled)
          entry.checks.emplace_back(check.config.name, check.config.interval);
      }
      schedule.push_back(std::move(entry));
    }
    metrics->schedule(schedule, now_ms());
    metrics->set_pack_load_failures(setup.pack_load_failures);
  }

  // In --once every check must end once: the checks that waited for an
  // instance that will not come in time fail now.
  void fail_queue_once(TargetState& target, const std::string& error) {
    if (!once) return;
    while (!target.queue.empty()) {
      CheckState* check = target.find(target.queue.front());
      target.queue.pop_front();
      if (check == nullptr) continue;
      check->queued = false;
      if (check->config.enabled) record_failure(target, *check, error, milliseconds(0));
    }
  }

  // A check of a target another host runs was skipped: in --once it is
  // not waited for (and not reported).
  void not_ours() {
    if (once && once_expected > 0) --once_expected;
  }

  // ---- jobs on the worker pool ----

  uint64_t submit(Job job, std::function<void(uint64_t, const std::shared_ptr<Mailbox>&)> work) {
    const uint64_t id = next_job_id++;
    jobs.emplace(id, std::move(job));
    pool->submit([id, box = mailbox, work = std::move(work)] { work(id, box); });
    return id;
  }

  void start_create(TargetState& target) {
    Job job;
    job.kind = JobKind::create;
    job.target = target.config.name;
    job.pack = target.config.pack;
    job.timeout = target.config.timeout;
    job.overrun = call_overrun(target.config);
    target.creating =
        submit(std::move(job), [pack = target.pack, config = target.config, http = http](
                                   uint64_t id, const std::shared_ptr<Mailbox>& box) {
          box->post({Event::Kind::started, id, SteadyClock::now(), {}, {}, {}});
          Event done{Event::Kind::finished, id, {}, {}, {}, {}};
          try {
            done.created = make_instance(config, pack, http);
          } catch (const isolation::RunnerFailure& e) {
            done.create_error = e;
            done.runner_failed = true;
          } catch (const plugins::InstanceError& e) {
            done.create_error = e;
          } catch (const std::exception& e) {
            done.create_error.emplace(e.what(), std::nullopt);
          }
          done.at = SteadyClock::now();
          box->post(std::move(done));
        });
  }

  // Hands `instance` to a worker to drop, so that the pack's destroy() never
  // runs on this thread and is waited for no longer than the timeout.
  void destroy_later(std::shared_ptr<plugins::Instance> instance, const std::string& target,
                     const std::string& pack, milliseconds timeout, milliseconds overrun) {
    if (!instance) return;
    Job job;
    job.kind = JobKind::destroy;
    job.target = target;
    job.pack = pack;
    job.timeout = timeout;
    job.overrun = overrun;
    job.destroying = instance;
    submit(std::move(job), [instance = std::move(instance)](
                               uint64_t id, const std::shared_ptr<Mailbox>& box) mutable {
      box->post({Event::Kind::started, id, SteadyClock::now(), {}, {}, {}});
      instance.reset();  // the pack's destroy, unless a stuck run still holds it
      box->post({Event::Kind::finished, id, SteadyClock::now(), {}, {}, {}});
    });
  }

  void start_run(TargetState& target, CheckState& check) {
    const std::string name = qualified(target.config.name, check.config.name);
    const bool recorded = recording.wants(name);
    // Only while this host's lease outlives the run, however long it takes
    // (a recorded run's create() included).
    const milliseconds longest = check.config.timeout + call_overrun(target.config) +
                                 (recorded ? target.config.timeout : milliseconds(0));
    if (ownership != nullptr && !ownership->begin_run(target.config.name, longest)) {
      not_ours();
      // Another host runs it now: the recording does not wait for it.
      if (recording.skip(name)) end_recording_if_done();
      return;
    }
    Job job;
    job.kind = JobKind::run;
    job.target = target.config.name;
    job.pack = target.config.pack;
    job.check = check.config.name;
    job.instance = target.instance;
    job.control = std::make_shared<plugins::RunControl>();
    job.timeout = check.config.timeout;
    job.overrun = call_overrun(target.config);
    job.batch_key = batch_key(target.config.name, cycle_start_wall);
    job.submitted_wall = now_ms();
    job.recording = recording.take(name);
    std::optional<config::TargetConfig> own_instance;  // set: the recording's, made for this run
    if (job.recording) {
      job.control->record = std::make_shared<http::ExchangeLog>();
      job.timeout += target.config.timeout;  // its create() runs in the job too
      own_instance = target.config;
    }
    target.busy_run =
        submit(job, [instance = target.instance, control = job.control, index = check.config.index,
                     params = check.config.params, timeout = check.config.timeout,
                     own_instance = std::move(own_instance), pack = target.pack,
                     http = http](uint64_t id, const std::shared_ptr<Mailbox>& box) mutable {
          Event done{Event::Kind::finished, id, {}, {}, {}, {}};
          if (control->cancelled) {
            done.result.error = "cancelled before it started";
          } else {
            box->post({Event::Kind::started, id, SteadyClock::now(), {}, {}, {}});
            std::shared_ptr<plugins::Instance> runs_on = instance;
            if (own_instance) {
              // Handed back in `created`, for the engine to destroy.
              try {
                done.created = make_instance(*own_instance, pack, http);
                runs_on = done.created;
              } catch (const std::exception& e) {
                runs_on.reset();
                done.result.error =
                    std::string("could not create the pack instance for the recording: ") +
                    e.what();
              }
            }
            if (runs_on) {
              control->deadline = SteadyClock::now() + timeout;
              control->timeout = timeout;
              done.result = runs_on->run(index, params, *control);
            }
          }
          // The engine holds the instance while it is in use; this thread
          // never drops the last reference of one in use.
          instance.reset();
          done.at = SteadyClock::now();
          box->post(std::move(done));
        });
  }

  // Why `check` of `target` cannot run now because a call into the pack is
  // stuck past its timeout, or nullopt when nothing is stuck.
  std::optional<std::string> stuck_reason(const TargetState& target, const CheckState& check,
                                          SteadyTime now) const {
    if (target.busy_run) {
      const Job& run = jobs.at(*target.busy_run);
      if (!run.timed_out) return std::nullopt;
      const std::string since = elapsed_text(run.started_at, now);
      if (run.check == check.config.name) {
        return "still running after " + since + " (timeout " + format_duration(run.timeout) +
               "); it is not run again until the pack returns";
      }
      return "not run: check '" + run.check + "' of this target has been inside the pack for " +
             since + " (timeout " + format_duration(run.timeout) +
             "), and the instance is not called again until it returns";
    }
    if (target.creating) {
      const Job& create = jobs.at(*target.creating);
      if (!create.timed_out) return std::nullopt;
      return "the pack's create() for this target has not returned after " +
             elapsed_text(create.started_at, now) + " (timeout " + format_duration(create.timeout) +
             ")";
    }
    return std::nullopt;
  }

  void dispatch(TargetState& target, CheckState& check, SteadyTime now) {
    if (stopping) return;
    // Another host runs it: nothing to run, create or count here.
    if (ownership != nullptr && !ownership->owns(target.config.name)) {
      not_ours();
      // Another host runs it now: its instance (a runner process, maybe)
      // goes, rather than idle here for as long as the host runs.
      if (target.instance && !target.busy_run && !target.creating) {
        destroy_later(std::move(target.instance), target.config.name, target.config.pack,
                      target.config.timeout, call_overrun(target.config));
      }
      return;
    }
    if (auto stuck = stuck_reason(target, check, now)) {
      record_failure(target, check, *stuck, milliseconds(0));
      return;
    }
    if (target.busy_run || target.creating) {
      if (!check.queued) {
        check.queued = true;
        target.queue.push_back(check.config.name);
      }
      return;
    }
    if (!target.instance) {
      if (!target.pack) {
        record_failure(target, check, "pack '" + target.config.pack + "' is not loaded",
                       milliseconds(0));
        return;
      }
      if (now < target.restart_at) {
        record_failure(
            target, check,
            "not run: " + target.runner_death + "; its runner is started again in " +
                format_duration(std::chrono::ceil<std::chrono::seconds>(target.restart_at - now)),
            milliseconds(0));
        return;
      }
      check.queued = true;
      target.queue.push_back(check.config.name);
      start_create(target);
      return;
    }
    start_run(target, check);
  }

  void dispatch_queued(TargetState& target, SteadyTime now) {
    while (!target.busy_run && !target.creating && !target.queue.empty() && !stopping) {
      const std::string name = target.queue.front();
      target.queue.pop_front();
      CheckState* check = target.find(name);
      if (check == nullptr || !check->config.enabled) continue;
      check->queued = false;
      dispatch(target, *check, now);
    }
  }

  void on_started(const Event& event) {
    auto it = jobs.find(event.job_id);
    if (it == jobs.end()) return;
    it->second.started_at = event.at;
    if (!it->second.timed_out) {
      it->second.deadline = event.at + it->second.timeout + it->second.overrun;
    }
  }

  void on_finished(Event& event, SteadyTime now) {
    auto it = jobs.find(event.job_id);
    if (it == jobs.end()) return;
    Job job = std::move(it->second);
    jobs.erase(it);
    if (job.timed_out) {
      pool->retire_worker();
      spdlog::info("{} returned after {} (timeout {}){}",
                   job.kind == JobKind::run      ? qualified(job.target, job.check)
                   : job.kind == JobKind::create ? "create() of " + job.target
                                                 : "destroy() of " + job.target,
                   elapsed_text(job.started_at, event.at), format_duration(job.timeout),
                   job.kind == JobKind::run ? "; its result is ignored" : "");
    }
    switch (job.kind) {
      case JobKind::run:
        on_run_finished(job, event, now);
        break;
      case JobKind::create:
        on_create_finished(job, event, now);
        break;
      case JobKind::destroy:
        break;
    }
  }

  void on_run_finished(Job& run, Event& event, SteadyTime now) {
    if (ownership != nullptr) {
      ownership->end_run(run.target);
      // From before it started to after it ended, in milliseconds since the
      // epoch: what shows that no target ran on two hosts at once.
      spdlog::debug("{} ran on host {} from {} to {}", qualified(run.target, run.check),
                    ownership->host_name(), run.submitted_wall.time_since_epoch().count(),
                    now_ms().time_since_epoch().count());
    }
    TargetState* target = find_target(targets, run.target);
    const bool current = target != nullptr && target->busy_run == event.job_id;
    if (current) target->busy_run.reset();
    if (run.timed_out) {
      // Counted as failed when it timed out; logged by on_finished.
    } else if (stopping) {
      spdlog::debug("{} ended during shutdown; its result is not recorded",
                    qualified(run.target, run.check));
    } else if (current) {
      CheckState* check = target->find(run.check);
      if (check != nullptr && check->config.enabled) {
        if (event.at >= run.deadline) {
          // Back after its deadline, before our timer fired: late is late,
          // whatever the pack made of the cancellation.
          record_failure(*target, *check, "timed out after " + format_duration(run.timeout),
                         run.timeout, false, check->failed_for({}, true), true);
        } else if (event.result.ok) {
          check->succeeded();
          recorder.success(run_of(*target, *check), event.result, run.batch_key);
        } else {
          record_failure(*target, *check, event.result.error, event.result.duration, true,
                         check->failed_for(event.result.cause, event.result.timed_out),
                         event.result.timed_out);
        }
      }
    }
    if (run.recording) {
      if (!run.record_told) tell_recorded(run, event, target);
      // Its own instance goes, on a worker; the target's was not used.
      destroy_later(std::move(event.created), run.target, run.pack, target_timeout(run),
                    run.overrun);
    }
    if (current && !run.recording && target->instance == run.instance) {
      if (auto death = run.instance->broken()) {
        runner_died(*target, *death, now);
      } else {
        target->runner_ok();
      }
    }
    // A reload may have dropped the instance while it ran (or its runner
    // died): then this was the last user, and its destroy() belongs on a
    // worker.
    if (target == nullptr || target->instance != run.instance) {
      destroy_later(std::move(run.instance), run.target, run.pack, run.timeout, run.overrun);
    }
    if (current) dispatch_queued(*target, now);
  }

  // ---- recording a cycle ----

  // The create() timeout a recording run's job added to the check's.
  milliseconds target_timeout(const Job& run) const {
    const TargetState* target = find_target(targets, run.target);
    return target != nullptr ? target->config.timeout : run.timeout;
  }

  // Hands `run`'s outcome to the recording's sink (`target`: where it ran,
  // null when a reload removed it).
  void tell_recorded(Job& run, const Event& event, TargetState* target) {
    run.record_told = true;
    if (!recording.armed()) return;
    CheckState* check = target != nullptr ? target->find(run.check) : nullptr;
    if (check == nullptr || !target->pack || !target->pack->declaration) {
      recording.lost(qualified(run.target, run.check));
      return;
    }
    std::optional<std::string> not_recorded;
    if (run.timed_out) {
      not_recorded = "timed out after " + format_duration(run.timeout);
    } else if (stopping) {
      not_recorded = "the monitor stopped during the run";
    } else if (!event.created) {
      not_recorded = event.result.error;
    } else if (auto why = run.control->record->given_up()) {
      not_recorded = std::move(*why);
    }
    recording.told({target->config, check->config, *target->pack->declaration, event.result,
                    run.control->record->take(), std::move(not_recorded)});
  }

  // Ends the recording once no armed check waits to run and no recorded
  // run is out; then another may be asked for.
  void end_recording_if_done() {
    if (!recording.end_if_done()) return;
    std::lock_guard lock(mailbox->mutex);
    mailbox->recording = false;
  }

  // The target's runner is gone (it died, hung or broke the protocol): a
  // new one starts only after a pause, doubling with each failure in a row.
  void pause_runner(TargetState& target, const std::string& death, SteadyTime now) {
    const milliseconds pause = target.pause_runner(death, now);
    spdlog::warn("{}: {}; its runner is started again in {}", target.config.name, death,
                 format_duration(pause));
  }

  // The runner died during a run: its instance goes with it.
  void runner_died(TargetState& target, const std::string& death, SteadyTime now) {
    target.instance.reset();
    pause_runner(target, death, now);
    fail_queue_once(target, "not run: " + death);
  }

  void on_create_finished(Job& create, Event& event, SteadyTime now) {
    TargetState* target = find_target(targets, create.target);
    const bool current = target != nullptr && target->creating == event.job_id;
    if (!current || stopping) {
      // The target went away on a reload, or we are stopping: nobody needs it.
      destroy_later(std::move(event.created), create.target, create.pack, create.timeout,
                    create.overrun);
      return;
    }
    target->creating.reset();
    if (event.created) {
      target->instance = std::move(event.created);
      if (create.timed_out) spdlog::info("{}: the pack instance is ready now", create.target);
      dispatch_queued(*target, now);
      return;
    }
    const std::string error =
        "could not create the pack instance: " +
        std::string(event.create_error ? event.create_error->what() : "unknown error");
    if (event.runner_failed) pause_runner(*target, event.create_error->what(), now);
    if (create.timed_out) {
      // Its due checks were counted as failures while it was stuck.
      spdlog::warn("{}: {}", create.target, error);
      return;
    }
    while (!target->queue.empty()) {
      CheckState* check = target->find(target->queue.front());
      target->queue.pop_front();
      if (check == nullptr) continue;
      check->queued = false;
      if (check->config.enabled) record_failure(*target, *check, error, milliseconds(0));
    }
  }

  void time_out(uint64_t job_id, Job& job) {
    job.timed_out = true;
    job.deadline = kNever;
    pool->add_worker();  // so other checks keep their schedule
    TargetState* target = find_target(targets, job.target);
    switch (job.kind) {
      case JobKind::run: {
        job.control->cancelled = true;
        if (job.recording) {
          // A late return is ignored: the recording does not wait for it.
          tell_recorded(job, Event{}, target);
        }
        const std::string error = "timed out after " + format_duration(job.timeout);
        spdlog::warn("{} {}; {} is not run again until the pack returns",
                     qualified(job.target, job.check), error, job.target);
        if (target == nullptr || target->busy_run != job_id) return;
        if (CheckState* check = target->find(job.check); check && check->config.enabled) {
          record_failure(*target, *check, error, job.timeout, false, check->failed_for({}, true),
                         true);
        }
        fail_queue_once(*target, "not run: check '" + job.check + "' of this target " + error);
        break;
      }
      case JobKind::create: {
        const std::string error =
            "the pack's create() did not return within " + format_duration(job.timeout);
        spdlog::warn("{}; its checks fail until it does",
                     plugins::did_not_return("create()", job.pack, job.target, job.timeout));
        if (target == nullptr || target->creating != job_id) return;
        // The checks that waited for it fail now, and at each due time after.
        std::deque<std::string> waiting;
        waiting.swap(target->queue);
        for (const auto& name : waiting) {
          CheckState* check = target->find(name);
          if (check == nullptr) continue;
          check->queued = false;
          if (check->config.enabled) record_failure(*target, *check, error, job.timeout);
        }
        break;
      }
      case JobKind::destroy:
        spdlog::warn("{}; going on without it",
                     plugins::did_not_return("destroy()", job.pack, job.target, job.timeout));
        break;
    }
  }

  // ---- the loop ----

  void fire_timers(SteadyTime now) {
    // The cycle ends before the runs due at its end start: they belong to
    // the next one, and take its batch key.
    if (heartbeat_due <= now && !stopping) {
      heartbeat();
      heartbeat_due = next_due(heartbeat_due, period, now);
    }
    if (!stopping) {
      for (auto& target : targets) {
        for (auto& check : target->checks) {
          if (!check.config.enabled || check.next_due > now) continue;
          check.next_due = once ? kNever : next_due(check.next_due, check.config.interval, now);
          dispatch(*target, check, now);
        }
      }
    }
    for (auto& [id, job] : jobs) {
      if (!job.timed_out && job.deadline <= now && (!stopping || job.kind != JobKind::run)) {
        time_out(id, job);
      }
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
    for (const auto& [id, job] : jobs) {
      // During shutdown every run is cancelled already and waited for up to
      // shutdown_timeout; its own timeout no longer matters.
      if (!stopping || job.kind != JobKind::run) wake = std::min(wake, job.deadline);
    }
    return wake;
  }

  void heartbeat() {
    spdlog::info("{}", recorder.end_cycle(ownership == nullptr || ownership->runs_chores()));
    cycle_start_wall = now_ms();
  }

  void begin_shutdown(SteadyTime now) {
    stopping = true;
    if (metrics != nullptr) metrics->set_running(false);
    stop_deadline = now + setup.config.shutdown_timeout;
    std::size_t runs = 0;
    for (auto& [id, job] : jobs) {
      if (job.kind != JobKind::run) continue;
      job.control->cancelled = true;
      ++runs;
    }
    if (runs > 0) {
      spdlog::info("stopping: waiting up to {} for {} running check(s)",
                   format_duration(setup.config.shutdown_timeout), runs);
    } else {
      spdlog::info("stopping");
    }
  }

  // Gives the instances of targets a reload dropped to workers to destroy.
  void release_dropped(Targets& dropped) {
    for (auto& target : dropped) {
      if (!target) continue;
      destroy_later(std::move(target->instance), target->config.name, target->config.pack,
                    target->config.timeout, call_overrun(target->config));
    }
    dropped.clear();
  }

  // Nullopt when the new config took effect, else why not.
  std::optional<std::string> reload(SteadyTime now) {
    if (!loader) return "this monitor cannot reload its config";
    spdlog::info("reloading the config");
    Setup next;
    std::optional<std::string> error;
    try {
      next = loader();
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      // Whatever a loader throws, a reload never takes the monitor down.
      error = "unknown error";
    }
    if (error) {
      spdlog::error("config reload failed; the running config stays in effect: {}", *error);
      if (metrics != nullptr) metrics->record_reload(false, now_ms());
      return error;
    }
    auto built = build_targets(next, targets, now, once);
    release_dropped(targets);
    targets = std::move(built);
    setup = std::move(next);
    store.set_options(store_options(setup.config));
    recorder.set_failure_threshold(setup.config.defaults.failure_threshold);
    start_cycles(now);
    const std::size_t checks = enabled_checks(targets);
    spdlog::info("config reloaded: {} targets, {} enabled checks", targets.size(), checks);
    if (metrics != nullptr) {
      schedule_metrics();
      metrics->record_reload(true, now_ms());
    }
    // Armed checks the config no longer has are dropped.
    recording.drop_missing(targets);
    end_recording_if_done();
    warn_of_unwatched_tickets();
    for (auto& target : targets) dispatch_queued(*target, now);
    return std::nullopt;
  }

  // Open tickets that no check of this config will update or resolve
  // (unwatched_tickets.h). A database that cannot answer now is the
  // runs' concern, not this warning's.
  void warn_of_unwatched_tickets() {
    try {
      const std::string warning =
          unwatched_tickets_warning(enabled_check_names(targets), store.open_ticket_counts());
      if (!warning.empty()) spdlog::warn("{}", warning);
    } catch (const std::exception& e) {
      spdlog::debug("cannot compare the open tickets with the config: {}", e.what());
    }
  }

  // Tells whoever waits for a reload what came of it.
  static void answer_reload(std::vector<std::promise<std::optional<std::string>>>& waiters,
                            const std::optional<std::string>& result) {
    for (auto& waiter : waiters) waiter.set_value(result);
    waiters.clear();
  }

  bool once_done() const { return once && recorder.report_count() >= once_expected; }

  // Targets just taken over run their enabled checks at once.
  void run_taken_over(const std::vector<std::string>& names, SteadyTime now) {
    for (const auto& name : names) {
      TargetState* target = find_target(targets, name);
      if (target == nullptr) continue;
      for (auto& check : target->checks) {
        if (check.config.enabled && !once) check.next_due = std::min(check.next_due, now);
      }
    }
  }

  // Waits for the next event or timer (or until `until`) and handles it.
  void step(SteadyTime until) {
    std::deque<Event> events;
    std::vector<std::string> taken_over;
    bool stop_requested = false;
    bool reload_requested = false;
    std::vector<std::promise<std::optional<std::string>>> reload_waiters;
    std::optional<RecordSink> record_request;
    const SteadyTime wake = std::min(next_wake(), until);
    {
      std::unique_lock lock(mailbox->mutex);
      auto ready = [&] {
        return !mailbox->events.empty() || mailbox->stop || mailbox->reload ||
               mailbox->record_request || !mailbox->run_now.empty();
      };
      if (wake == kNever) {
        mailbox->wake.wait(lock, ready);
      } else {
        mailbox->wake.wait_until(lock, wake, ready);
      }
      events.swap(mailbox->events);
      stop_requested = mailbox->stop;
      reload_requested = mailbox->reload;
      mailbox->reload = false;
      reload_waiters.swap(mailbox->reload_waiters);
      record_request.swap(mailbox->record_request);
      taken_over.swap(mailbox->run_now);
    }
    SteadyTime now = SteadyClock::now();
    run_taken_over(taken_over, now);
    for (auto& event : events) {
      if (event.kind == Event::Kind::started) {
        on_started(event);
      } else {
        on_finished(event, now);
      }
    }
    if (stop_requested && !stopping) begin_shutdown(now);
    if (reload_requested && !stopping && !once) {
      answer_reload(reload_waiters, reload(now));
    } else {
      answer_reload(reload_waiters, "the monitor is stopping");
    }
    // Armed before the timers fire: a --once recording records its one run.
    if (record_request) {
      recording.arm(std::move(*record_request), targets, ownership);
      end_recording_if_done();
    }
    now = SteadyClock::now();
    fire_timers(now);
    end_recording_if_done();
  }

  bool runs_in_flight() const {
    return std::any_of(jobs.begin(), jobs.end(),
                       [](const auto& entry) { return entry.second.kind == JobKind::run; });
  }

  void loop() {
    for (;;) {
      step(kNever);
      if (stopping && (!runs_in_flight() || SteadyClock::now() >= stop_deadline)) break;
      if (once_done()) break;
    }
  }

  // Ends every instance: destroy() on workers, waited for until `deadline`;
  // whatever is still inside a pack then is logged by pack and abandoned.
  void finish() {
    if (once && !stopping) heartbeat();
    stopping = true;  // nothing new is dispatched from here on
    if (metrics != nullptr) metrics->set_running(false);
    {
      // Reloads asked for from now on are answered by request_reload_with_result.
      std::lock_guard lock(mailbox->mutex);
      answer_reload(mailbox->reload_waiters, "the monitor is stopping");
      finished = true;
    }
    const SteadyTime now = SteadyClock::now();
    SteadyTime deadline = stop_deadline;
    if (deadline == kNever) {
      milliseconds longest{0};
      for (const auto& target : targets) {
        longest = std::max(longest, target->config.timeout + call_overrun(target->config));
      }
      deadline = now + longest;
    }
    // An instance goes once no call is inside it: a run that ends while we
    // wait frees its instance too. A destroy() started late still gets
    // kMinDestroyTime.
    const auto destroy_idle = [this, &deadline] {
      for (auto& target : targets) {
        if (target->busy_run || target->creating || !target->instance) continue;
        destroy_later(std::move(target->instance), target->config.name, target->config.pack,
                      target->config.timeout, call_overrun(target->config));
        deadline = std::max(deadline, SteadyClock::now() + kMinDestroyTime);
      }
    };
    destroy_idle();
    while (!jobs.empty() && SteadyClock::now() < deadline) {
      step(deadline);
      destroy_idle();
    }
    const auto doing = [](const Job& job) {
      return job.kind == JobKind::run      ? "is still running check '" + job.check + "'"
             : job.kind == JobKind::create ? std::string("is still inside create()")
                                           : std::string("is still inside destroy()");
    };
    // A runner can be ended for good: those still in a call are killed, and
    // their calls come back at once.
    bool killed = false;
    for (auto& [id, job] : jobs) {
      if (job.overrun.count() == 0) continue;
      const auto instance = job.instance ? job.instance : job.destroying.lock();
      if (!instance) continue;
      spdlog::warn("pack '{}' {} for target '{}'; killing its runner", job.pack, doing(job),
                   job.target);
      instance->abandon();
      killed = true;
    }
    if (killed) {
      const SteadyTime until = SteadyClock::now() + kKilledRunnerWait;
      const auto runner_calls = [this] {
        return std::any_of(jobs.begin(), jobs.end(), [](const auto& entry) {
          return entry.second.overrun.count() > 0 && entry.second.kind != JobKind::create;
        });
      };
      while (runner_calls() && SteadyClock::now() < until) step(until);
    }
    for (auto& [id, job] : jobs) {
      spdlog::warn("pack '{}' {} for target '{}'; abandoning it", job.pack, doing(job), job.target);
      if (job.control) job.control->cancelled = true;
      if (job.instance) abandoned_instances().push_back(job.instance);
      abandoned = true;
    }
    jobs.clear();
    recording.abandon();
    end_recording_if_done();
    // Instances a stuck call still uses are kept for good; the others were
    // destroyed above.
    for (auto& target : targets) {
      if (target->instance) abandoned_instances().push_back(std::move(target->instance));
    }
    if (abandoned) {
      // A stuck call may still end and post an instance it made: the mailbox
      // is kept for good too, so that no pack code runs in our destructor.
      static auto* kept = new std::vector<std::shared_ptr<Mailbox>>;
      kept->push_back(mailbox);
    }
    const milliseconds left = std::max(
        milliseconds(0), std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now()));
    if (!pool->stop(abandoned ? milliseconds(0) : left)) abandoned = true;
  }

  void start(SteadyTime now) {
    const int workers = setup.config.workers > 0 ? setup.config.workers : default_workers();
    pool = std::make_unique<WorkerPool>(workers);
    Targets none;
    targets = build_targets(setup, none, now, once);
    recorder.set_failure_threshold(setup.config.defaults.failure_threshold);
    recorder.keep_reports(once);
    start_cycles(now);
    const std::size_t checks = enabled_checks(targets);
    once_expected = checks;
    if (metrics != nullptr && !once) {
      schedule_metrics();
      metrics->config_loaded(now_ms());
      metrics->set_running(true);
    }
    spdlog::info("monitoring {} targets, {} enabled checks, {} workers, cycle {}", targets.size(),
                 checks, workers, format_duration(period));
    if (!once) warn_of_unwatched_tickets();
  }
};

Engine::Engine(Setup setup, tickets::TicketStore& store, SetupLoader reload,
               observe::Metrics* metrics, Ownership* ownership)
    : impl_(
          std::make_unique<Impl>(std::move(setup), store, std::move(reload), metrics, ownership)) {}

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
  return impl_->recorder.take_reports();
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

std::future<std::optional<std::string>> Engine::request_reload_with_result() {
  std::promise<std::optional<std::string>> promise;
  auto result = promise.get_future();
  std::lock_guard lock(impl_->mailbox->mutex);
  if (impl_->finished) {
    promise.set_value("the monitor is stopping");
    return result;
  }
  impl_->mailbox->reload = true;
  impl_->mailbox->reload_waiters.push_back(std::move(promise));
  impl_->mailbox->wake.notify_one();
  return result;
}

std::optional<std::string> Engine::request_recording(RecordSink sink) {
  std::lock_guard lock(impl_->mailbox->mutex);
  if (impl_->finished) return "the monitor is stopping";
  if (impl_->mailbox->recording) return "a recording is under way; try again when it ends";
  impl_->mailbox->recording = true;
  impl_->mailbox->record_request = std::move(sink);
  impl_->mailbox->wake.notify_one();
  return std::nullopt;
}

void Engine::run_now(std::vector<std::string> targets) {
  std::lock_guard lock(impl_->mailbox->mutex);
  for (auto& target : targets) impl_->mailbox->run_now.push_back(std::move(target));
  impl_->mailbox->wake.notify_one();
}

bool Engine::has_abandoned_runs() const { return impl_->abandoned; }

}  // namespace opr::engine
