#include "notify/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "common/child_spawn.h"
#include "common/duration.h"

extern char** environ;

namespace opr::notify {

namespace {

using Clock = std::chrono::steady_clock;

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Writing to a child that closed its stdin must not end the monitor: the
// calling thread blocks SIGPIPE while the child runs and drops the one a
// write may have raised.
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, &old_);
  }
  ~SigpipeBlocked() {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    const timespec none{0, 0};
    while (sigtimedwait(&pipe, nullptr, &none) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t old_;
};

pid_t spawn(const std::vector<std::string>& argv, int stdin_fd, int output_fd, int error_fd,
            int& error) {
  std::vector<std::string> words = argv;
  std::vector<char*> args;
  for (auto& word : words) args.push_back(word.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
  posix_spawn_file_actions_adddup2(&actions, output_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, error_fd, 2);
  const ChildSpawnAttributes attributes;  // its own group: killed whole at the timeout
  pid_t pid = -1;
  error = ::posix_spawnp(&pid, args[0], &actions, attributes.get(), args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

}  // namespace

ChildResult run_child(const std::vector<std::string>& argv, const std::string& input,
                      std::chrono::milliseconds timeout, size_t max_output, bool separate_stderr) {
  ChildResult result;
  if (argv.empty() || argv.front().empty()) {
    result.error = "no program to run";
    return result;
  }
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 ||
      (separate_stderr && ::pipe2(err, O_CLOEXEC) != 0)) {
    result.error = std::string("cannot make a pipe: ") + std::strerror(errno);
    for (int* fd : {&in[0], &in[1], &out[0], &out[1]}) close_fd(*fd);
    return result;
  }
  SigpipeBlocked sigpipe;
  int spawn_error = 0;
  const pid_t pid = spawn(argv, in[0], out[1], separate_stderr ? err[1] : out[1], spawn_error);
  close_fd(in[0]);
  close_fd(out[1]);
  close_fd(err[1]);
  if (pid < 0) {
    close_fd(in[1]);
    close_fd(out[0]);
    close_fd(err[0]);
    result.error = "cannot run " + argv.front() + ": " + std::strerror(spawn_error);
    return result;
  }
  result.started = true;
  for (int fd : {in[1], out[0], err[0]}) {
    if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  }

  const auto deadline = Clock::now() + timeout;
  size_t written = 0;
  if (input.empty()) close_fd(in[1]);
  // Reads what `fd` has into `into`, up to max_output; closes it at its end.
  auto drain = [&](int& fd, std::string& into) {
    char buffer[4096];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      const size_t room = max_output - std::min(max_output, into.size());
      into.append(buffer, std::min(room, static_cast<size_t>(n)));
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      close_fd(fd);  // end of its output: it is exiting
    }
  };
  while (out[0] >= 0 || err[0] >= 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    // A closed descriptor (-1) is ignored by poll.
    pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
    if (::poll(fds, 3, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    if (in[1] >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      const ssize_t n = ::write(in[1], input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      // Done, or the child stopped reading: it gets end of file from here.
      if (written == input.size() || (n < 0 && errno != EAGAIN && errno != EINTR)) close_fd(in[1]);
    }
    if (out[0] >= 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      drain(out[0], result.output);
    }
    if (err[0] >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      drain(err[0], result.error_output);
    }
  }
  close_fd(err[0]);
  close_fd(in[1]);
  close_fd(out[0]);
  int status = 0;
  pid_t reaped = 0;
  // Its output ended; it may still run (having closed it): wait for it up
  // to the deadline.
  while (!result.timed_out && (reaped = ::waitpid(pid, &status, WNOHANG)) == 0) {
    if (Clock::now() >= deadline) {
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (result.timed_out) {
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return result;
  }
  if (reaped < 0) {
    result.error = std::string("cannot wait for it: ") + std::strerror(errno);
    return result;
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

std::string describe(const ChildResult& result, std::chrono::milliseconds timeout) {
  if (!result.started) return result.error;
  if (result.timed_out) return "timed out after " + format_duration(timeout);
  if (result.signal != 0) return "was killed by signal " + std::to_string(result.signal);
  return "exited with status " + std::to_string(result.exit_code);
}

}  // namespace opr::notify
