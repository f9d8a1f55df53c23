#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <thread>

namespace opr::exec {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kPoll{20};

class Fd {
 public:
  Fd() = default;
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};

bool make_pipe(Pipe& pipe) {
  int fds[2];
  // CLOEXEC: the child gets only the ends dup2'ed onto 1 and 2.
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  pipe.read.reset(fds[0]);
  pipe.write.reset(fds[1]);
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  return true;
}

// posix_spawn's attributes and file actions for a child that starts clean:
// no signal blocked or ignored (the runner ignores SIGTERM, and SIGTERM must
// reach the child), a process group of its own (killed as a whole), stdin
// /dev/null, stdout and stderr on our pipes, nothing else open. The host's
// core/common/child_spawn.cpp sets the same attributes for its own
// children; a pack includes nothing of core/, so they are written here too.
class SpawnSetup {
 public:
  SpawnSetup(const ProcessSpec& spec, int out, int err) {
    posix_spawnattr_init(&attributes_);
    posix_spawnattr_setflags(
        &attributes_, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes_, &none);
    sigset_t all;
    sigfillset(&all);
    posix_spawnattr_setsigdefault(&attributes_, &all);
    posix_spawnattr_setpgroup(&attributes_, 0);

    posix_spawn_file_actions_init(&actions_);
    posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions_, out, 1);
    posix_spawn_file_actions_adddup2(&actions_, err, 2);
    // CLOEXEC covers descriptors opened with it; this covers the others
    // (a socket a library opened without it, on another thread).
    posix_spawn_file_actions_addclosefrom_np(&actions_, 3);
    if (!spec.workdir.empty())
      posix_spawn_file_actions_addchdir_np(&actions_, spec.workdir.c_str());
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attributes_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  const posix_spawnattr_t* attributes() const { return &attributes_; }
  const posix_spawn_file_actions_t* actions() const { return &actions_; }

 private:
  posix_spawnattr_t attributes_;
  posix_spawn_file_actions_t actions_;
};

std::vector<char*> c_strings(std::vector<std::string>& words) {
  std::vector<char*> pointers;
  pointers.reserve(words.size() + 1);
  for (auto& word : words) pointers.push_back(word.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Reads what `fd` holds now into `into`, adding every byte read to `total`
// and keeping none past `max_total` bytes of both streams (`kept_elsewhere`
// of them in the other). False at its end (or an error).
bool drain(int fd, std::string& into, size_t kept_elsewhere, size_t max_total, size_t& total) {
  char buffer[8192];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      total += static_cast<size_t>(n);
      const size_t kept = into.size() + kept_elsewhere;
      into.append(buffer, std::min(static_cast<size_t>(n), max_total - std::min(max_total, kept)));
      if (total > max_total) return true;  // the caller stops the program
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && errno == EAGAIN;
  }
}

// Whether `pid` has ended, leaving it unreaped (a zombie keeps its process
// group id from being reused while we signal the group).
bool has_ended(pid_t pid) {
  siginfo_t info{};
  info.si_pid = 0;
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    return errno == ECHILD;
  }
  return info.si_pid == pid;
}

// Waits for `pid` (ended, or killed) and returns its wait status.
int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// SIGTERM to the group of the running program `pid`, then SIGKILL to the
// group once the program has ended or `grace` passed: what ignored SIGTERM
// goes too. The program is left for the caller to reap.
void stop_group(pid_t pid, std::chrono::milliseconds grace) {
  ::kill(-pid, SIGTERM);
  const auto until = Clock::now() + grace;
  while (!has_ended(pid) && Clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(-pid, SIGKILL);
}

// After the program `pid` ended and was reaped: what it left in its group
// gets SIGTERM, then SIGKILL after `grace`. A group that is already gone
// costs nothing.
void stop_leftovers(pid_t pid, std::chrono::milliseconds grace) {
  if (::kill(-pid, SIGTERM) != 0) return;
  const auto until = Clock::now() + grace;
  while (::kill(-pid, 0) == 0 && Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(-pid, SIGKILL);
}

}  // namespace

ProcessResult run_process(const ProcessSpec& spec, const std::function<bool()>& cancelled,
                          std::chrono::milliseconds kill_grace) {
  ProcessResult result;
  Pipe out;
  Pipe err;
  if (!make_pipe(out) || !make_pipe(err)) {
    result.error = std::string("cannot make a pipe: ") + ::strerror(errno);
    return result;
  }
  std::vector<std::string> argv = spec.argv;
  std::vector<std::string> env = spec.env;
  const std::vector<char*> c_argv = c_strings(argv);
  const std::vector<char*> c_env = c_strings(env);
  pid_t pid = -1;
  int spawn_error = 0;
  {
    const SpawnSetup setup(spec, out.write.get(), err.write.get());
    spawn_error = ::posix_spawn(&pid, spec.program.c_str(), setup.actions(), setup.attributes(),
                                c_argv.data(), c_env.data());
  }
  out.write.reset();
  err.write.reset();
  if (spawn_error != 0) {
    result.error = "cannot run " + spec.program + ": " + ::strerror(spawn_error);
    return result;
  }

  size_t total = 0;
  bool too_large = false;
  while (true) {
    pollfd fds[2] = {{out.read.get(), POLLIN, 0}, {err.read.get(), POLLIN, 0}};
    // A poll that fails (EINTR) just makes this pass a look at the clock.
    ::poll(fds, 2, static_cast<int>(kPoll.count()));
    const bool ended = has_ended(pid);
    // Once the program ended, what it wrote is in the pipes: read it all.
    for (int i = 0; i < 2; ++i) {
      Pipe& pipe = i == 0 ? out : err;
      std::string& into = i == 0 ? result.out : result.err;
      const std::string& other = i == 0 ? result.err : result.out;
      if (pipe.read.get() < 0 || (!ended && fds[i].revents == 0)) continue;
      if (!drain(pipe.read.get(), into, other.size(), spec.max_output, total)) pipe.read.reset();
    }
    if (total > spec.max_output) {
      too_large = true;
      break;
    }
    if (ended) break;
    if (cancelled()) {
      stop_group(pid, kill_grace);
      reap(pid);
      result.end = ProcessResult::End::cancelled;
      return result;
    }
  }
  if (too_large) {
    stop_group(pid, kill_grace);
    reap(pid);
    result.end = ProcessResult::End::output_too_large;
    return result;
  }
  const int status = reap(pid);
  if (WIFEXITED(status)) {
    result.end = ProcessResult::End::exited;
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.end = ProcessResult::End::signaled;
    result.signal = WTERMSIG(status);
  }
  out.read.reset();
  err.read.reset();
  stop_leftovers(pid, kill_grace);
  return result;
}

std::string describe_end(const ProcessResult& result) {
  switch (result.end) {
    case ProcessResult::End::exited:
      return "exited with status " + std::to_string(result.exit_code);
    case ProcessResult::End::signaled: {
      const char* name = ::sigabbrev_np(result.signal);
      return "was killed by signal " + std::to_string(result.signal) +
             (name != nullptr ? std::string(" (SIG") + name + ")" : "");
    }
    case ProcessResult::End::cancelled:
      return "was stopped at the run's deadline";
    case ProcessResult::End::output_too_large:
      return "wrote more output than allowed";
    case ProcessResult::End::not_started:
      break;
  }
  return result.error;
}

}  // namespace opr::exec
