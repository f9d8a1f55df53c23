#include "isolation/runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "common/child_spawn.h"
#include "isolation/runner_main.h"

extern char** environ;

namespace opr::isolation {
namespace {

// A line of the runner's output longer than this is logged in pieces.
constexpr size_t kMaxOutputLine = 4096;
// How often a call looks at its cancel flag while nothing else happens. The
// runner stops a run at its deadline by itself; the flag only brings a
// shutdown's cancellation sooner, so this need not be often (each look
// costs the host a wake-up).
constexpr std::chrono::milliseconds kCancelPoll{500};

std::string signal_name(int signo) {
  const char* abbrev = ::sigabbrev_np(signo);
  return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(signo);
}

int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  return -1;
#endif
}

// Moves `fd` to a number of at least 10, close-on-exec, so that mapping it
// onto 0..3 in the child never maps a descriptor onto itself.
int move_high(int fd) {
  const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
  ::close(fd);
  return high;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) {
    const int signo = WTERMSIG(status);
    return (signo == SIGKILL ? "was killed by " : "crashed with ") + signal_name(signo);
  }
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "ended (wait status " + std::to_string(status) + ")";
}

RunnerProcess::RunnerProcess(const RunnerOptions& options, std::string label)
    : label_(std::move(label)) {
  int channel[2] = {-1, -1};
  int output[2] = {-1, -1};
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel) != 0) {
    throw std::runtime_error(std::string("cannot start a pack runner: socketpair: ") +
                             std::strerror(errno));
  }
  if (::pipe2(output, O_CLOEXEC) != 0) {
    const int error = errno;
    ::close(channel[0]);
    ::close(channel[1]);
    throw std::runtime_error(std::string("cannot start a pack runner: pipe: ") +
                             std::strerror(error));
  }
  channel_ = channel[0];
  output_ = output[0];
  const int child_channel = move_high(channel[1]);
  const int child_output = move_high(output[1]);

  std::vector<std::string> words = {options.executable.string(),
                                    kRunnerCommand,
                                    "--memory-mb",
                                    std::to_string(options.limits.memory_mb),
                                    "--open-files",
                                    std::to_string(options.limits.open_files),
                                    "--label",
                                    label_};
  if (options.log_level) {
    words.push_back("--log-level");
    words.push_back(*options.log_level);
  }
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, child_output, 1);
  posix_spawn_file_actions_adddup2(&actions, child_output, 2);
  posix_spawn_file_actions_adddup2(&actions, child_channel, 3);
  const ChildSpawnAttributes attributes;
  const int rc = ::posix_spawn(&pid_, argv[0], &actions, attributes.get(), argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(child_channel);
  ::close(child_output);
  if (rc != 0 || child_channel < 0 || child_output < 0) {
    close_fd(channel_);
    close_fd(output_);
    throw std::runtime_error("cannot start a pack runner (" + options.executable.string() +
                             "): " + std::strerror(rc != 0 ? rc : EMFILE));
  }
  pidfd_ = open_pidfd(pid_);
  ::fcntl(output_, F_SETFL, ::fcntl(output_, F_GETFL) | O_NONBLOCK);
}

RunnerProcess::~RunnerProcess() {
  kill();
  reap(true);
  drain_output(true);
  close_fd(channel_);
  close_fd(output_);
  close_fd(pidfd_);
}

void RunnerProcess::kill() {
  std::lock_guard lock(kill_mutex_);
  if (exit_status_ || pid_ <= 0) return;
#ifdef SYS_pidfd_send_signal
  if (pidfd_ >= 0 && ::syscall(SYS_pidfd_send_signal, pidfd_, SIGKILL, nullptr, 0) == 0) return;
#endif
  ::kill(pid_, SIGKILL);
}

void RunnerProcess::reap(bool block) {
  std::lock_guard lock(kill_mutex_);
  if (exit_status_ || pid_ <= 0) return;
  int status = 0;
  pid_t got = 0;
  do {
    got = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (got == pid_) exit_status_ = status;
  if (got < 0) exit_status_ = 0;  // not ours to wait for any more: gone
}

bool RunnerProcess::finish(std::chrono::milliseconds timeout) {
  const auto give_up = Clock::now() + timeout;
  while (alive() && Clock::now() < give_up) {
    pollfd fds[2] = {{pidfd_, POLLIN, 0}, {output_, POLLIN, 0}};
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(give_up - Clock::now());
    // Without a pidfd, look again every 10 ms.
    const int wait = pidfd_ >= 0 ? static_cast<int>(std::max<int64_t>(left.count(), 0))
                                 : static_cast<int>(std::min<int64_t>(left.count(), 10));
    ::poll(pidfd_ >= 0 ? fds : fds + 1, pidfd_ >= 0 ? 2 : 1, wait);
    drain_output(false);
    reap(false);
  }
  const bool exited = !alive();
  kill();
  reap(true);
  drain_output(true);
  return exited;
}

void RunnerProcess::drain_output(bool final) {
  if (output_ < 0) return;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(output_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output_line_.append(buffer, static_cast<size_t>(n));
    size_t start = 0;
    for (;;) {
      const size_t end = output_line_.find('\n', start);
      const bool full = end == std::string::npos && output_line_.size() - start >= kMaxOutputLine;
      if (end == std::string::npos && !full) break;
      const size_t stop = full ? start + kMaxOutputLine : end;
      spdlog::warn("[{}] {}", label_, output_line_.substr(start, stop - start));
      start = full ? stop : end + 1;
    }
    output_line_.erase(0, start);
  }
  if (final && !output_line_.empty()) {
    spdlog::warn("[{}] {}", label_, output_line_);
    output_line_.clear();
  }
}

// Reads what the runner sent and wrote until `until`; true when the call
// is over (the reply came, the runner ended or broke the protocol).
bool RunnerProcess::pump(Clock::time_point until, MessageType expect, Reply& reply) {
  const auto take_frames = [&]() -> bool {
    try {
      while (auto frame = decoder_.next()) {
        if (frame->type == MessageType::memory_limit) {
          memory_limit_ = true;
          continue;
        }
        if (frame->type != expect) {
          throw ProtocolError("a reply of type " + std::to_string(static_cast<int>(frame->type)) +
                              " where " + std::to_string(static_cast<int>(expect)) +
                              " was expected");
        }
        reply.kind = Reply::Kind::frame;
        reply.frame = std::move(*frame);
        return true;
      }
    } catch (const ProtocolError& e) {
      kill();
      reap(true);
      reply.kind = Reply::Kind::broken;
      reply.problem = std::string("sent ") + e.what();
      return true;
    }
    return false;
  };
  // Reads what is there; false at the end of the stream.
  const auto read_channel = [&](bool wait) -> bool {
    char buffer[64 * 1024];
    for (;;) {
      const ssize_t n = ::recv(channel_, buffer, sizeof buffer, wait ? 0 : MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
      if (n == 0) return false;
      decoder_.feed(std::string_view(buffer, static_cast<size_t>(n)));
      if (wait) return true;
    }
  };
  const auto ended = [&](const std::string& how) {
    reply.kind = Reply::Kind::died;
    reply.problem = how;
    reply.cut_short = decoder_.mid_frame();
    return true;
  };

  pollfd fds[3] = {{channel_, POLLIN, 0}, {output_, POLLIN, 0}, {pidfd_, POLLIN, 0}};
  const nfds_t count = pidfd_ >= 0 ? 3 : 2;
  int timeout = -1;
  if (until != Clock::time_point::max()) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now());
    timeout = static_cast<int>(std::clamp<int64_t>(left.count(), 0, 60'000));
  }
  const int ready = ::poll(fds, count, timeout);
  if (ready <= 0) return false;
  if (fds[1].revents != 0) drain_output(false);
  if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
    const bool open = read_channel(true);
    if (take_frames()) return true;
    if (!open) {
      // The runner's end closed: it is exiting, or its pack closed fd 3.
      const bool exited = finish(std::chrono::seconds(1));
      if (take_frames()) return true;
      if (!exited) return ended("closed its connection to the host (it was killed)");
      return ended(describe_exit(exit_status_.value_or(0)));
    }
  }
  if (count == 3 && fds[2].revents != 0) {
    // It exited: whatever it sent before counts.
    read_channel(false);
    reap(true);
    drain_output(true);
    if (take_frames()) return true;
    return ended(describe_exit(*exit_status_));
  }
  return false;
}

Reply RunnerProcess::call(MessageType type, const std::string& payload, MessageType expect,
                          Clock::time_point give_up, const std::atomic<bool>* cancelled,
                          Clock::time_point cancel_at) {
  send(type, payload);
  return wait(expect, give_up, cancelled, cancel_at);
}

void RunnerProcess::send(MessageType type, const std::string& payload) {
  memory_limit_ = false;
  // A runner that cannot take the request is ending: wait() tells why.
  if (alive()) write_all(channel_, encode_frame(type, payload));
}

Reply RunnerProcess::wait(MessageType expect, Clock::time_point give_up,
                          const std::atomic<bool>* cancelled, Clock::time_point cancel_at) {
  Reply reply;
  const auto finish_reply = [&]() -> Reply {
    reply.memory_limit = memory_limit_;
    return reply;
  };
  if (!alive()) {
    reply.problem = describe_exit(*exit_status_);
    return finish_reply();
  }
  bool cancel_sent = false;
  for (;;) {
    const auto now = Clock::now();
    if (!cancel_sent && ((cancelled != nullptr && cancelled->load()) || now >= cancel_at)) {
      write_all(channel_, encode_frame(MessageType::cancel, ""));
      cancel_sent = true;
    }
    if (now >= give_up) {
      kill();
      reap(true);
      drain_output(true);
      reply.kind = Reply::Kind::timed_out;
      return finish_reply();
    }
    auto until = give_up;
    if (!cancel_sent) {
      until = std::min(until, cancel_at);
      if (cancelled != nullptr) until = std::min(until, now + kCancelPoll);
    }
    if (pump(until, expect, reply)) return finish_reply();
  }
}

}  // namespace opr::isolation
