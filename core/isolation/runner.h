// One pack runner process as the host sees it: started, asked, waited for
// with a deadline, and killed. The host's end of the protocol.
//
// A runner is `operator-host pack-runner` (isolation/runner_main.h), started
// with posix_spawn: stdin from /dev/null, stdout and stderr into a pipe the
// host reads into its log (attributed to the runner's label), the protocol
// on fd 3, a process group of its own (a Ctrl-C in the terminal is the
// host's to act on), default signal dispositions and an empty signal mask.
// Every descriptor the host opens for it is close-on-exec, and the runner
// closes whatever else it inherited before any pack code runs.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "isolation/frame.h"
#include "isolation/runner_limits.h"

namespace opr::isolation {

using Clock = std::chrono::steady_clock;

struct RunnerOptions {
  // The operator-host to start in runner mode: this very binary, however it
  // was started (tests of this folder name the built one).
  std::filesystem::path executable = "/proc/self/exe";
  RunnerLimits limits;
  // The level of the lines it forwards (debug | info | warning | error);
  // info when unset.
  std::optional<std::string> log_level;
};

// What a call got back.
struct Reply {
  enum class Kind {
    frame,      // the reply arrived
    died,       // the runner ended first (see `problem`)
    timed_out,  // the deadline passed first: the runner was killed
    broken,     // it sent what is not the protocol (see `problem`): killed
  };
  Kind kind = Kind::died;
  Frame frame;
  // died: "crashed with SIGSEGV", "exited with status 0", "was killed by
  // SIGKILL"; broken: what was wrong.
  std::string problem;
  // died: it ended in the middle of a frame.
  bool cut_short = false;
  // The runner said an allocation failed at its memory limit during the
  // call (it may have died of it).
  bool memory_limit = false;
};

// How a wait status reads: "crashed with SIGSEGV", "was killed by SIGKILL",
// "exited with status 0".
std::string describe_exit(int status);

class RunnerProcess {
 public:
  // Starts a runner. `label` names it in the host's log ("pack/target").
  // Throws std::runtime_error when it cannot be started.
  RunnerProcess(const RunnerOptions& options, std::string label);
  // Kills it unless it has exited, reaps it, and logs what it last wrote.
  ~RunnerProcess();
  RunnerProcess(const RunnerProcess&) = delete;
  RunnerProcess& operator=(const RunnerProcess&) = delete;

  // Sends a `type` frame with `payload`, then waits until a frame of type
  // `expect` arrives, the runner dies, or `give_up` passes (then it is
  // killed). A cancel frame goes out once, when *cancelled turns true or
  // `cancel_at` passes. Logs the runner's output meanwhile. After any reply
  // but `frame` the runner is dead and reaped. Not thread-safe: one call at
  // a time.
  Reply call(MessageType type, const std::string& payload, MessageType expect,
             Clock::time_point give_up, const std::atomic<bool>* cancelled = nullptr,
             Clock::time_point cancel_at = Clock::time_point::max());
  // call() in its two halves, for a caller that asks several runners at
  // once: send the request, then wait for its reply.
  void send(MessageType type, const std::string& payload);
  Reply wait(MessageType expect, Clock::time_point give_up,
             const std::atomic<bool>* cancelled = nullptr,
             Clock::time_point cancel_at = Clock::time_point::max());

  // Kills the runner now (SIGKILL); a call in progress returns `died`.
  // Thread-safe.
  void kill();
  // Waits up to `timeout` for the runner to exit by itself, then kills it;
  // reaps it either way. True when it exited by itself.
  bool finish(std::chrono::milliseconds timeout);
  bool alive() const { return !exit_status_.has_value(); }
  pid_t pid() const { return pid_; }

 private:
  bool pump(Clock::time_point until, MessageType expect, Reply& reply);
  void drain_output(bool final);
  void reap(bool block);

  std::string label_;
  pid_t pid_ = -1;
  int pidfd_ = -1;
  int channel_ = -1;
  int output_ = -1;
  FrameDecoder decoder_;
  std::string output_line_;
  std::optional<int> exit_status_;
  std::mutex kill_mutex_;  // kill() against reaping
  std::atomic<bool> memory_limit_{false};
};

}  // namespace opr::isolation
