// The monitor's configuration: YAML -> typed values, checked against what
// the loaded packs declare. Errors name the file, line and column.
#pragma once

#include <operator/plugin.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/pack_declaration.h"
#include "common/param_value.h"
#include "common/severity.h"

namespace opr::config {

// Where something is in a config file; line and column count from 1. Line
// 0 stands for the whole file (a file too large to read, say).
struct Mark {
  std::string file;
  int line = 0;
  int column = 0;
};

// A config that cannot be used. what() is "FILE:LINE:COLUMN: message", or
// "FILE: message" when the mark's line is 0.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(Mark mark, const std::string& message);
  const Mark& mark() const { return mark_; }
  const std::string& message() const { return message_; }

 private:
  Mark mark_;
  std::string message_;
};

struct LogConfig {
  std::string level = "info";   // debug | info | warning | error
  std::string format = "text";  // text | json
};

// Where the monitor's own HTTP listener binds (`http: {listen: HOST:PORT}`):
// an IPv4 address, a host name, or an IPv6 address in brackets; an empty
// host (":9464") is every IPv4 interface.
struct ListenAddress {
  std::string host;
  int port = 0;
  bool operator==(const ListenAddress&) const = default;
};

// "HOST:PORT" as the config would write it ("[::1]:9464" for IPv6).
std::string to_string(const ListenAddress& address);

// The `http` section: /metrics, /-/healthy, /-/ready, /-/reload and
// /-/record. Off (no socket at all) when `listen` is left out.
struct HttpConfig {
  std::optional<ListenAddress> listen;
  // Where POST /-/record writes (a folder per recording); unset: recording
  // is off. Relative paths are against the config's folder. The caller of
  // the endpoint never chooses a path.
  std::optional<std::filesystem::path> record_dir;
};

// The `cluster` section: several hosts sharing the targets on one
// PostgreSQL database (cluster/lease_keeper.h). Read always, used only on
// PostgreSQL. A host that dies has its targets taken over within about
// lease + lease/3; each run needs its timeout to fit in what is left of a
// lease between renewals (engine::check_cluster_timeouts).
struct ClusterConfig {
  std::chrono::milliseconds lease{30'000};
  Mark mark;  // of `lease`, when the file sets it
};

// Where a target's pack runs: in a runner process of its own (a crash,
// hang or exit costs that target's runs only), or inside the host (faster
// by a process boundary, for packs that have earned that trust).
enum class Isolation { process, in_process };

// "process" or "in_process".
std::string_view to_string(Isolation isolation);

// The resource limits of a target's runner (isolation: process).
struct RunnerLimitsConfig {
  uint64_t memory_mb = 1024;  // address space, MiB; 0: no limit
  uint64_t open_files = 256;  // descriptors open at once; 0: the host's limit

  bool operator==(const RunnerLimitsConfig&) const = default;
};

// Labels or annotations: name -> value. Labels say what a ticket is about
// (team: storage) and are what receivers match on; annotations say more
// about it (runbook_url). Both are passed to every receiver.
using LabelMap = std::map<std::string, std::string, std::less<>>;

// How a receiver's failed deliveries are retried: the first retry after
// `initial_backoff`, each next one after twice the last (with jitter), at
// most `max_backoff`; a notification not delivered `give_up_after` after
// its event is failed for good.
struct RetryConfig {
  std::chrono::milliseconds initial_backoff{1'000};
  std::chrono::milliseconds max_backoff{300'000};
  std::chrono::milliseconds give_up_after{86'400'000};

  bool operator==(const RetryConfig&) const = default;
};

// diagnose: a `diagnose` hook, which the outbox treats as a receiver of
// `opened` events only.
enum class ReceiverType { alertmanager, webhook, command, diagnose };

// "alertmanager", "webhook", "command" or "diagnose".
std::string_view to_string(ReceiverType type);

// Which tickets a receiver hears of: all of each list that is set must
// match (a list matches when it holds the ticket's value).
struct ReceiverMatch {
  std::vector<Severity> severities;  // empty: every severity
  std::vector<std::string> targets;  // empty: every target
  std::vector<Mark> target_marks;    // where each was written
  std::vector<std::string> checks;   // empty: every check
  std::vector<Mark> check_marks;
  LabelMap labels;  // each must be among the check's labels, with this value
};

// One entry of `notify`.
struct ReceiverConfig {
  std::string name;
  ReceiverType type = ReceiverType::webhook;
  ReceiverMatch match;
  // Re-notify an open, unacknowledged ticket this often; 0: never.
  std::chrono::milliseconds repeat_interval{0};
  RetryConfig retry;
  std::chrono::milliseconds timeout{10'000};  // one delivery attempt
  // webhook: its one URL; alertmanager: each Alertmanager (all get every alert).
  std::vector<std::string> urls;
  // webhook: extra request headers, in file order (never printed: they may
  // carry credentials).
  std::vector<std::pair<std::string, std::string>> headers;
  // webhook: a file whose content (trimmed) is sent as a bearer token.
  std::optional<std::filesystem::path> bearer_token_file;
  // webhook: a file whose content (trimmed) is the HMAC-SHA256 key of the
  // X-Operator-Signature header.
  std::optional<std::filesystem::path> secret_file;
  // alertmanager: how often a firing alert is sent again.
  std::chrono::milliseconds resend_interval{60'000};
  std::vector<std::string> command;  // command and diagnose: argv, no shell
  // diagnose: the most of its stdout kept as the diagnosis.
  size_t max_output = 64 * 1024;
  Mark mark;

  // Its name in the outbox and `tickets show`: a hook's is "hook:NAME"
  // (also its actor on the ticket), so it never clashes with a receiver's.
  std::string outbox_name() const;
};

struct Defaults {
  std::chrono::milliseconds interval{30'000};
  std::chrono::milliseconds timeout{10'000};
  int failure_threshold = 3;
  // Of `:failed` tickets; unset: each check's own severity.
  std::optional<Severity> failed_severity;
  Isolation isolation = Isolation::process;
  RunnerLimitsConfig runner_limits;
  LabelMap labels;
  LabelMap annotations;
};

// One check of one target, with every engine setting resolved
// (check > target > pack's declaration > defaults).
struct CheckConfig {
  std::string name;
  uint32_t index = 0;  // in the pack's declared checks
  bool enabled = true;
  std::chrono::milliseconds interval{0};
  std::chrono::milliseconds timeout{0};
  std::chrono::milliseconds grace{0};
  Severity severity = Severity::warning;
  // Of the check's `:failed` ticket: failed_severity if set, else `severity`.
  Severity failed_severity = Severity::warning;
  ParamMap params;  // declared parameters, defaults applied
  // defaults' < target's < check's (a later one wins on the same name).
  LabelMap labels;
  LabelMap annotations;
  Mark mark;  // where it was configured (the target's mark if not listed)
};

struct TargetConfig {
  std::string name;
  std::string pack;
  ParamMap params;  // pack-level parameters, defaults applied
  // Where each pack-level parameter the file sets was written (its value).
  std::map<std::string, Mark, std::less<>> param_marks;
  // How long the host waits for the pack's create() and destroy() of this
  // target: the target's `timeout`, else the defaults'.
  std::chrono::milliseconds timeout{0};
  // The target's `isolation` and runner limits, else the defaults'.
  Isolation isolation = Isolation::process;
  RunnerLimitsConfig runner_limits;
  std::vector<CheckConfig> checks;  // every check of the pack, in pack order
  LabelMap labels;                  // defaults' < target's
  LabelMap annotations;
  Mark mark;

  // Where to point a user at pack-level parameter `name`: its value if the
  // file sets it, else the target.
  const Mark& mark_of(std::string_view name) const;
};

// The file as read, before packs are known: enough to find the packs and
// the database. Targets are kept as YAML for the second step.
struct RawConfig;

struct Config {
  std::filesystem::path path;  // as given to read_config
  // As written (after ${VAR} substitution), except that a relative SQLite
  // path (a bare path, or sqlite3://db=PATH) is made absolute against the
  // config file's folder. nullopt when the file has no `database`.
  std::optional<std::string> database;
  std::vector<std::filesystem::path>
      plugin_dirs;  // relative ones resolved against the file's folder
  LogConfig log;
  HttpConfig http;
  ClusterConfig cluster;
  Defaults defaults;
  int workers = 0;  // 0: number of cores
  std::chrono::milliseconds shutdown_timeout{5'000};
  int flapping_threshold = 3;
  std::chrono::milliseconds flapping_window{3'600'000};
  // `notify`, in file order, then the `diagnose` hooks.
  std::vector<ReceiverConfig> receivers;
  std::vector<TargetConfig> targets;
};

// What the loaded packs declare, by pack name.
using PackCatalog = std::map<std::string, const PackDeclaration*, std::less<>>;

// Step 1: read and parse the file, substitute ${VAR} / ${VAR:-default},
// check the top-level keys and their types. Throws ConfigError.
std::shared_ptr<const RawConfig> read_config(const std::filesystem::path& file);
// Step 1 for text already in memory: `file` names it in errors and is the
// file relative paths are taken against. The limits on a file's size apply
// to `text` alike.
std::shared_ptr<const RawConfig> read_config_text(const std::string& text,
                                                  const std::filesystem::path& file);
// The parts of step 1 the host needs to load packs and open tickets.
// plugin_dirs is empty when the file names none (then the host's defaults
// apply); database is as in Config::database.
const std::vector<std::filesystem::path>& plugin_dirs(const RawConfig& raw);
const std::optional<std::string>& database(const RawConfig& raw);
// The file's `defaults` (the runner limits for loading packs among them).
const Defaults& defaults(const RawConfig& raw);

// Step 2: check targets and checks against the packs and resolve every
// value. Throws ConfigError (the first error found). `pack_load_errors`
// (the loader's messages for pack files that failed to load) are quoted when
// a target names a pack that is not in `packs`.
Config resolve_config(const RawConfig& raw, const PackCatalog& packs,
                      const std::vector<std::string>& pack_load_errors = {});

// Both steps, for callers that already have the packs.
Config load_config(const std::filesystem::path& file, const PackCatalog& packs);

// True for parameter names whose values must never be logged or printed:
// opr::is_secret_name (common/redaction.h), the host's one rule.
bool is_secret_param(std::string_view name);

}  // namespace opr::config
