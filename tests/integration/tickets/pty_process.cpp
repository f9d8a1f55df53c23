#include "pty_process.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

extern char** environ;

namespace opr::test {

namespace {

// The child's environment, built before the fork: after it, only
// async-signal-safe calls.
std::vector<std::string> environment(const std::map<std::string, std::string>& env,
                                     const std::vector<std::string>& unset) {
  std::vector<std::string> out;
  for (char** entry = environ; *entry; ++entry) {
    const std::string text = *entry;
    const std::string name = text.substr(0, text.find('='));
    bool drop = env.count(name) > 0;
    for (const auto& gone : unset) drop = drop || gone == name;
    if (!drop) out.push_back(text);
  }
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& words) {
  std::vector<char*> out;
  for (auto& word : words) out.push_back(word.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

PtyProcess::PtyProcess(const std::vector<std::string>& argv,
                       const std::map<std::string, std::string>& env,
                       const std::vector<std::string>& unset, unsigned short rows,
                       unsigned short columns) {
  std::vector<std::string> args = argv;
  std::vector<std::string> vars = environment(env, unset);
  std::vector<char*> arg_pointers = pointers(args);
  std::vector<char*> env_pointers = pointers(vars);
  winsize size{};
  size.ws_row = rows;
  size.ws_col = columns;
  pid_ = ::forkpty(&master_, nullptr, nullptr, &size);
  if (pid_ < 0) throw std::runtime_error("forkpty failed");
  if (pid_ == 0) {
    ::execve(arg_pointers[0], arg_pointers.data(), env_pointers.data());
    ::_exit(127);
  }
}

PtyProcess::~PtyProcess() {
  if (!exit_code_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (master_ >= 0) ::close(master_);
}

void PtyProcess::signal(int signo) {
  if (!exit_code_) ::kill(pid_, signo);
}

bool PtyProcess::read_some(std::chrono::milliseconds timeout) {
  if (closed_) return false;
  pollfd fd{master_, POLLIN, 0};
  if (::poll(&fd, 1, static_cast<int>(timeout.count())) <= 0) return true;
  char buffer[4096];
  const ssize_t got = ::read(master_, buffer, sizeof buffer);
  if (got > 0) {
    output_.append(buffer, static_cast<size_t>(got));
    return true;
  }
  if (got < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  closed_ = true;  // EIO: every holder of the terminal's other side is gone
  return false;
}

bool PtyProcess::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (output_.find(text) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !read_some(std::min(left, std::chrono::milliseconds(50)))) {
      return output_.find(text) != std::string::npos;
    }
  }
  return true;
}

std::optional<int> PtyProcess::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exit_code_ || !closed_) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    if (!read_some(std::chrono::milliseconds(50))) ::poll(nullptr, 0, 10);  // closed: reap soon
    int status = 0;
    if (!exit_code_ && ::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
  }
  return exit_code_;
}

}  // namespace opr::test
