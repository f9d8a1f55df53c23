// One pack instance per configured target, and the host services table it
// sees (logging, HTTP, parameters, clock, violation reports).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/param_value.h"
#include "plugins/pack_loader.h"

namespace opr::http {
class Client;
class ExchangeLog;
}  // namespace opr::http

namespace opr::plugins {

struct Fact {
  std::string key;
  std::string value;
  bool is_number = false;
};

// A subject the run could not evaluate (ABI 1.2 run_unknown).
struct UnknownSubject {
  std::string subject;
  std::string reason;
};

struct ReportedViolation {
  std::string subject;
  std::string message;
  int32_t severity = 0;  // op_severity; 0: the check's configured severity
  std::vector<Fact> facts;
};

// Shared between the thread running a check and whoever waits for it, so a
// late-returning run still has valid state after its waiter gave up.
struct RunControl {
  // max(): no deadline (HTTP requests then use the client's default timeout).
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  // The check's timeout the deadline was set from (0: none), for messages.
  std::chrono::milliseconds timeout{0};
  std::atomic<bool> cancelled{false};
  // Set: every HTTP exchange of the run is kept here, credentials left out
  // (http/exchange.h), for `--record` and POST /-/record.
  std::shared_ptr<http::ExchangeLog> record;
};

struct RunResult {
  bool ok = false;
  std::string error;  // why the run failed (when !ok)
  // The dependency the failure is due to (ABI 1.3 run_fail_cause), e.g.
  // "pd:http://pd:2379"; "" when the pack named none (always before 1.3).
  std::string cause;
  // In first-report order, one per subject (the last report of a subject
  // wins). Kept on a failed run too, but a failed run is no evidence.
  std::vector<ReportedViolation> violations;
  // In first-call order, one per subject (the last reason wins), none that
  // the run also reported as a violation. Kept on a failed run too.
  std::vector<UnknownSubject> unknown;
  std::vector<Fact> facts;  // about the run as a whole
  std::chrono::milliseconds duration{0};
  // The host ended the run at its timeout (a late answer counts as one):
  // the failure is the host's, not the pack's, so `cause` may be empty.
  bool timed_out = false;
};

// Why a pack instance could not be created. what() is the whole sentence.
class InstanceError : public std::runtime_error {
 public:
  InstanceError(const std::string& message, std::optional<std::string> param)
      : std::runtime_error(message), param_(std::move(param)) {}
  // The pack-level parameter the pack blamed (ABI 1.2 param_invalid), if any.
  const std::optional<std::string>& param() const { return param_; }

 private:
  std::optional<std::string> param_;
};

// Writes a line a pack logged (an op_log_level and the line as the host's
// log shows it, "[pack/target] message") to the host's log; for lines a
// pack logged in a runner process.
void log_pack_line(int32_t level, std::string_view line);

// A target's pack instance as the engine drives it: in this process
// (PackInstance) or in a runner process of its own
// (isolation::RunnerInstance). Either way the pack cannot tell.
class Instance {
 public:
  virtual ~Instance() = default;  // the pack's destroy
  // Runs one check, blocking until it ends; never throws. See
  // PackInstance::run. The caller must not run two checks of one instance
  // at once.
  virtual RunResult run(uint32_t check_index, const ParamMap& check_params,
                        RunControl& control) = 0;
  // Why this instance cannot run again (its runner died), or nullopt.
  virtual std::optional<std::string> broken() const { return std::nullopt; }
  // Ends at once whatever the instance is doing, when it can (a runner is
  // killed); for a shutdown that will not wait any longer. Thread-safe.
  virtual void abandon() {}
};

class PackInstance final : public Instance {
 public:
  // Calls the pack's create with `pack_params` (defaults already applied),
  // on the calling thread. Throws InstanceError with the pack's reason, or
  // when `pack` is not loaded in this process. `http` is shared by every instance. The
  // destructor calls the pack's destroy, on whichever thread drops the
  // instance last.
  PackInstance(std::shared_ptr<const LoadedPack> pack, std::string target,
               const ParamMap& pack_params, std::shared_ptr<http::Client> http);
  ~PackInstance() override;  // calls the pack's destroy
  PackInstance(const PackInstance&) = delete;
  PackInstance& operator=(const PackInstance&) = delete;

  // Runs one check, blocking until the pack returns. Never throws; a pack
  // that breaks the ABI's rules gets a failed result, and OP_RUN_FAILED (or
  // OK after run_fail) gives ok = false with the pack's message. HTTP
  // requests made by the run end no later than control.deadline, and stop
  // soon after control.cancelled turns true, which the pack also sees
  // through run_cancelled. The caller must not run two checks of one
  // instance at once.
  RunResult run(uint32_t check_index, const ParamMap& check_params, RunControl& control) override;

  const std::string& target() const { return target_; }
  const LoadedPack& pack() const { return *pack_; }

 private:
  struct HostState;
  std::shared_ptr<const LoadedPack> pack_;
  std::string target_;
  std::unique_ptr<HostState> host_;
  op_pack_instance* instance_ = nullptr;
};

}  // namespace opr::plugins
