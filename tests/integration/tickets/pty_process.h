// A child process on a pseudo-terminal (forkpty), for commands that behave
// differently on a terminal: what it wrote, read as the terminal would get
// it, signals, and its exit code. Every wait has a deadline.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace opr::test {

class PtyProcess {
 public:
  // `env` is added to (or replaces in) this process's environment, `unset`
  // removed from it; the terminal is `rows` x `columns`.
  PtyProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
             const std::vector<std::string>& unset, unsigned short rows = 24,
             unsigned short columns = 80);
  ~PtyProcess();  // SIGKILL if it still runs
  PtyProcess(const PtyProcess&) = delete;
  PtyProcess& operator=(const PtyProcess&) = delete;

  void signal(int signo);
  // Reads until what it wrote contains `text` (true), or `timeout`.
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout);
  // Reads until it exits and the terminal is closed: its exit code (128 +
  // signal when killed by one), or nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  // Everything it wrote so far.
  const std::string& output() const { return output_; }

 private:
  // Reads what is there, waiting at most `timeout`; false at end of output.
  bool read_some(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int master_ = -1;
  bool closed_ = false;
  std::optional<int> exit_code_;
  std::string output_;
};

}  // namespace opr::test
