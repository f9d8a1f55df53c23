// operator-host --config FILE [--once [--record DIR]]: the monitor.
//
// --record DIR records the --once run (engine/cycle_recording.h) as
// `plugins test` files in DIR and prints what it wrote; POST /-/record does
// the same for the next cycle of a running monitor, into a new folder under
// the config's http.record_dir. Either way tickets are written as usual.
//
// --once is a monitoring plugin (Nagios, Icinga; cli/plugin_output.h says
// what it prints and exits with): a config, database or start-up problem is
// UNKNOWN (3), said on stdout as well, where the plugin's caller reads.
// The exit code reflects what the checks saw, even for violations still
// inside their grace period (shown as PENDING); tickets respect grace as in
// a normal cycle. --once makes one attempt at the notifications due when it
// ends; the monitor's sender thread delivers them all along.
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <iostream>
#include <optional>
#include <thread>

#include "cli/allocator_tuning.h"
#include "cli/command_output.h"
#include "cli/commands.h"
#include "cli/database_location.h"
#include "cli/plugin_output.h"
#include "cli/recording_files.h"
#include "cluster/lease_keeper.h"
#include "common/duration.h"
#include "common/terminal_text.h"
#include "config/config.h"
#include "engine/engine.h"
#include "engine/logging.h"
#include "engine/setup.h"
#include "http/client.h"
#include "notify/sender.h"
#include "observe/listener.h"
#include "observe/metrics.h"
#include "observe/self_report.h"
#include "tickets/connection.h"
#include "tickets/monitor_lock.h"
#include "tickets/store_gauges.h"
#include "tickets/ticket_store.h"

namespace opr::cli {

namespace {

// Turns SIGINT/SIGTERM into a stop request and SIGHUP into a reload request,
// on a thread of its own (sigwait), so no work happens in a signal handler.
// Must be created before any other thread, so every thread inherits the
// blocked mask.
class SignalThread {
 public:
  SignalThread() {
    sigemptyset(&set_);
    for (int signo : {SIGINT, SIGTERM, SIGHUP, kWakeSignal}) sigaddset(&set_, signo);
    pthread_sigmask(SIG_BLOCK, &set_, &previous_);
  }
  ~SignalThread() {
    stop();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SignalThread(const SignalThread&) = delete;
  SignalThread& operator=(const SignalThread&) = delete;

  void start(engine::Engine& engine) {
    thread_ = std::thread([this, &engine] {
      while (!done_) {
        int signo = 0;
        if (sigwait(&set_, &signo) != 0) continue;
        if (signo == SIGINT || signo == SIGTERM) {
          spdlog::info("received {}; shutting down", signo == SIGINT ? "SIGINT" : "SIGTERM");
          engine.request_stop();
        } else if (signo == SIGHUP) {
          spdlog::info("received SIGHUP");
          engine.request_reload();
        }
      }
    });
  }

  // Joins the thread; call it before the engine it talks to goes away.
  void stop() {
    if (!thread_.joinable()) return;
    done_ = true;
    pthread_kill(thread_.native_handle(), kWakeSignal);
    thread_.join();
  }

 private:
  static constexpr int kWakeSignal = SIGUSR2;
  sigset_t set_{};
  sigset_t previous_{};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// The database for the log: a server connection string may carry a
// password; `display` never does.
std::string shown_database(const std::string& connection) {
  try {
    return tickets::parse_connection(connection).display;
  } catch (const std::exception&) {
    return "a database this host cannot open";
  }
}

// The monitor's two senders: receivers' notifications, and diagnosis hooks
// on a thread of their own (a hook may run for minutes; a page must not
// wait for it).
class Senders {
 public:
  Senders(tickets::TicketStore& store, std::shared_ptr<const http::Client> http)
      : store_(store),
        receivers_(store, http),
        hooks_(store, http, std::chrono::seconds(1), notify::Sender::Lane::hooks) {
    // A new ticket reaches its receivers at once, not at the next poll.
    store_.set_outbox_listener([this] {
      receivers_.wake();
      hooks_.wake();
    });
  }
  ~Senders() { store_.set_outbox_listener(nullptr); }
  void configure(const std::vector<config::ReceiverConfig>& receivers) {
    receivers_.configure(receivers);
    hooks_.configure(receivers);
  }
  // Several hosts: only the one that runs the chores sends.
  void gate(const std::function<bool()>& may_send) {
    gate_ = may_send;
    receivers_.set_gate(may_send);
    hooks_.set_gate(may_send);
  }
  void start() {
    receivers_.start();
    hooks_.start();
  }
  void stop() {
    receivers_.stop();
    hooks_.stop();
  }
  // Both senders' totals since they started, for /metrics.
  observe::NotificationTotals totals() const {
    observe::NotificationTotals totals;
    for (const notify::Sender* sender : {&receivers_, &hooks_}) {
      const notify::SenderStats stats = sender->totals();
      totals.sent += stats.delivered;
      totals.retried += stats.retried;
      totals.failed += stats.failed;
    }
    return totals;
  }
  // --once: hooks first (a diagnosis notifies the receivers), then one
  // attempt at what is due; what fails waits for the monitor (or the next
  // --once).
  void send_once() {
    if (gate_ && !gate_()) return;
    for (notify::Sender* sender : {&hooks_, &receivers_}) {
      try {
        sender->send_due(now_ms());
      } catch (const std::exception& e) {
        spdlog::error("notifications: {}", e.what());
      }
    }
  }

 private:
  tickets::TicketStore& store_;
  notify::Sender receivers_;
  notify::Sender hooks_;
  std::function<bool()> gate_;
};

// Stops a listener (if any) when it goes out of scope.
struct StopOnExit {
  observe::Listener* listener;
  ~StopOnExit() {
    if (listener != nullptr) listener->stop();
  }
};

// Stops a lease keeper (if any) when it goes out of scope.
struct StopKeeperOnExit {
  cluster::LeaseKeeper* keeper;
  ~StopKeeperOnExit() {
    if (keeper != nullptr) keeper->stop();
  }
};

// How long POST /-/reload waits for the engine to apply the config.
constexpr std::chrono::minutes kReloadWait{2};

// Logs how a recording of a running monitor ended.
void log_recording(const RecordingSummary& summary) {
  spdlog::info("recorded {} checks into {}", summary.written.size(), summary.dir.string());
  for (const auto& failure : summary.failures) spdlog::warn("recording: {}", failure);
}

// POST /-/record: the next run of every check, into a new folder under
// `record_dir` (unset: recording is off).
observe::Answer start_recording(engine::Engine& engine,
                                const std::optional<std::filesystem::path>& record_dir) {
  if (!record_dir) {
    return {403, "recording is off: set 'record_dir' in the config's 'http' section"};
  }
  const auto dir = new_recording_dir(*record_dir, now_ms());
  if (auto refused = engine.request_recording(recording_files(dir, log_recording))) {
    std::filesystem::remove(dir);  // empty: nothing was recorded into it
    return {409, "not recording: " + *refused};
  }
  spdlog::info("recording the next run of every check into {}", dir.string());
  return {202, "recording the next run of every check into " + dir.string()};
}

// The listener's endpoints over the engine and what it counts.
observe::Endpoints endpoints(observe::SelfReport& report, engine::Engine& engine,
                             const std::optional<std::filesystem::path>& record_dir) {
  observe::Endpoints endpoints;
  endpoints.metrics = [&report] { return report.metrics_text(); };
  endpoints.unready = [&report] { return report.unready_reasons(); };
  endpoints.reload = [&engine]() -> std::optional<std::string> {
    auto result = engine.request_reload_with_result();
    if (result.wait_for(kReloadWait) != std::future_status::ready) {
      return "the reload has not finished after " + format_duration(kReloadWait) +
             "; it goes on, see the log";
    }
    return result.get();
  };
  endpoints.record = [&engine, record_dir] { return start_recording(engine, record_dir); };
  return endpoints;
}

// What --once --record wrote: a line per file (or, with --json,
// {"recorded", "failed"}), and each check it could not record on stderr.
// Exit code 0 when every check was recorded, 1 otherwise.
int print_recorded(const GlobalOptions& global, const RecordingSummary& summary) {
  for (const auto& failure : summary.failures) {
    std::cerr << "cannot record " << escape_for_terminal(failure) << "\n";
  }
  if (global.json) {
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (const auto& file : summary.written) {
      files.push_back({{"target", file.target},
                       {"check", file.check},
                       {"file", file.file},
                       {"outcome", file.outcome}});
    }
    print_json({{"recorded", files}, {"failed", summary.failures.size()}});
  } else {
    for (const auto& file : summary.written) {
      std::cout << "recorded " << escape_for_terminal(file.target + "/" + file.check) << " ("
                << file.outcome << ") in " << escape_for_terminal(file.file) << "\n";
    }
  }
  return summary.failures.empty() ? 0 : 1;
}

std::vector<std::string> target_names(const config::Config& config) {
  std::vector<std::string> names;
  for (const auto& target : config.targets) names.push_back(target.name);
  return names;
}

// With PostgreSQL, several monitors share the targets (cluster/): this
// host's keeper of leases, started once the engine can hear of takeovers.
// Nullptr on SQLite, which keeps one monitor per database (MonitorLock).
std::unique_ptr<cluster::LeaseKeeper> make_lease_keeper(const std::string& connection,
                                                        const config::Config& config) {
  const tickets::ConnectionTarget target = tickets::parse_connection(connection);
  if (target.backend != "postgresql") return nullptr;
  engine::check_cluster_timeouts(config);
  return std::make_unique<cluster::LeaseKeeper>(target, cluster::default_host_name(),
                                                config.cluster.lease, target_names(config));
}

// Why the monitor cannot start, on stderr; with --once (and no --json), the
// plugin's UNKNOWN line on stdout too. Returns the exit code.
int cannot_start(const GlobalOptions& global, const std::string& text) {
  const int code = global.once ? kPluginUnknown : 1;
  print_error(global.json, text, code);
  if (global.once && !global.json) std::cout << plugin_unknown_line(text) << std::flush;
  return code;
}

}  // namespace

int run(const GlobalOptions& global, const MonitorRequest&) {
  const char* allocator = tune_allocator_for_monitor();  // before any thread starts
  // Blocks SIGHUP, SIGINT and SIGTERM from here on, before any thread
  // starts: one that arrives while the config and packs load waits for the
  // engine instead of ending the process.
  SignalThread signals;
  engine::setup_logging(command_log(global), global.log_level);
  engine::Setup setup;
  try {
    setup = engine::load_setup(*global.config, global.plugin_dirs);
  } catch (const config::ConfigError& e) {
    // One line (FILE:LINE:COLUMN: message), which may quote the config.
    return cannot_start(global, escape_for_terminal(e.what()));
  }
  engine::setup_logging(command_log(global, setup.config.log), global.log_level);
  spdlog::debug("{}", allocator);

  // Bound before anything else starts, so a taken port fails the start at
  // once. --once serves nothing.
  std::unique_ptr<observe::Listener> listener;
  const std::optional<config::ListenAddress> listen = setup.config.http.listen;
  const std::optional<std::filesystem::path> record_dir = setup.config.http.record_dir;
  if (listen && !global.once) {
    try {
      listener = std::make_unique<observe::Listener>(*listen);
    } catch (const observe::ListenError& e) {
      return cannot_start(global, escape_for_terminal(e.what()));
    }
  }

  std::unique_ptr<tickets::TicketStore> store;
  std::unique_ptr<tickets::StoreGauges> gauges;  // the listener's own connection
  std::optional<tickets::MonitorLock> lock;
  std::unique_ptr<cluster::LeaseKeeper> keeper;
  const std::string connection = database_location(global.database, setup.config.database);
  try {
    spdlog::info("ticket database: {}", shown_database(connection));
    store = tickets::TicketStore::open(connection, engine::store_options(setup.config));
    keeper = make_lease_keeper(connection, setup.config);
    if (keeper) {
      store->fence_results(keeper->host_name());
    } else {
      lock.emplace(tickets::MonitorLock::acquire(connection));
    }
    if (listener) gauges = std::make_unique<tickets::StoreGauges>(connection);
    if (lock && !lock->held() && tickets::parse_connection(connection).backend != "sqlite3") {
      spdlog::warn(
          "only one monitor may use a ticket database; {} is neither a SQLite file nor "
          "PostgreSQL, so operator-host cannot check that no other monitor uses it",
          shown_database(connection));
    }
  } catch (const std::exception& e) {
    return cannot_start(global, e.what());
  }

  const std::chrono::milliseconds setup_lease = setup.config.cluster.lease;
  const std::filesystem::path config_file = *global.config;
  const std::vector<std::filesystem::path> plugin_dirs = global.plugin_dirs;
  int code = kPluginOk;
  bool abandoned = false;
  {
    // Declared before the engine, which reconfigures it at each reload:
    // stopped after the engine is.
    Senders sender(*store, std::make_shared<http::Client>());
    sender.configure(setup.config.receivers);
    if (keeper) sender.gate([&keeper] { return keeper->runs_chores(); });
    observe::Metrics metrics;
    engine::Engine engine(
        std::move(setup), *store,
        [config_file, plugin_dirs, global, connection, listen, record_dir, &sender, &keeper] {
          engine::Setup next = engine::load_setup(config_file, plugin_dirs);
          if (keeper) {
            engine::check_cluster_timeouts(next.config);
            keeper->set_targets(target_names(next.config));
          }
          if (next.config.http.record_dir != record_dir) {
            spdlog::warn(
                "the config changes 'http.record_dir'; it takes effect at the next restart");
          }
          if (next.config.http.listen != listen) {
            spdlog::warn(
                "the config changes 'http.listen'; it takes effect at the next restart, until "
                "then the listener stays {}",
                listen && !global.once ? "on " + config::to_string(*listen) : "off");
          }
          sender.configure(next.config.receivers);
          engine::reconfigure_logging(command_log(global, next.config.log), global.log_level);
          const std::string wanted = database_location(global.database, next.config.database);
          if (wanted != connection) {
            spdlog::warn(
                "the config names another ticket database, {}; it takes effect "
                "at the next restart, until then tickets stay in {}",
                shown_database(wanted), shown_database(connection));
          }
          return next;
        },
        &metrics, keeper.get());
    // The keeper's thread tells the engine of takeovers: it stops before
    // the engine goes, however this block is left.
    const StopKeeperOnExit stop_keeper{keeper.get()};
    if (keeper) {
      keeper->on_acquired(
          [&engine](std::vector<std::string> targets) { engine.run_now(std::move(targets)); });
      try {
        keeper->start();
      } catch (const std::exception& e) {
        return cannot_start(global, e.what());
      }
      const auto gauges = keeper->gauges();
      spdlog::info(
          "cluster: this is host {}; it runs {} of {} targets, shared by {} live host(s) "
          "(lease {})",
          keeper->host_name(), gauges.owned, gauges.targets, gauges.live_hosts,
          format_duration(setup_lease));
    }
    signals.start(engine);
    std::optional<observe::SelfReport> report;
    if (listener) {
      report.emplace(metrics, *gauges, [&sender] { return sender.totals(); });
      if (keeper) {
        report->set_cluster([&keeper] {
          const cluster::OwnershipGauges part = keeper->gauges();
          return observe::ClusterGauges{part.live_hosts, part.targets, part.owned, part.chores};
        });
      }
      listener->serve(endpoints(*report, engine, record_dir));
      spdlog::info("serving /metrics, /-/healthy, /-/ready, /-/reload and /-/record on {}",
                   config::to_string(*listen));
    }
    // The listener's handlers use the report and the engine: it stops
    // before either goes, however this block is left.
    const StopOnExit stop_listener{listener.get()};
    if (global.once && global.record) {
      std::optional<RecordingSummary> recorded;
      engine.request_recording(recording_files(
          *global.record, [&recorded](const RecordingSummary& summary) { recorded = summary; }));
      engine.run_once();
      sender.send_once();
      code = print_recorded(global, recorded.value_or(RecordingSummary{*global.record, {}, {}}));
    } else if (global.once) {
      const auto reports = engine.run_once();
      code = plugin_exit_code(reports);
      sender.send_once();
      if (keeper) keeper->stop();
      if (global.json) {
        print_json(plugin_json(reports, code));
      } else {
        std::cout << plugin_output(reports, code) << std::flush;
      }
    } else {
      sender.start();
      engine.run();
      if (listener) listener->stop();  // before the senders it reads
      sender.stop();
      // After the last run: the others take this host's targets over now.
      if (keeper) keeper->stop();
    }
    signals.stop();
    abandoned = engine.has_abandoned_runs();
  }
  store.reset();  // closes the database
  spdlog::info("stopped");
  if (abandoned) {
    // A pack still runs on a detached thread: static destructors must not
    // race it, so end the process here.
    spdlog::default_logger()->flush();
    std::fflush(nullptr);
    std::_Exit(code);
  }
  return code;
}

}  // namespace opr::cli
