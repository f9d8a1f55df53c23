// Helpers for tests that use real processes, files and ports. Every wait has
// a deadline; nothing sleeps for a fixed time to let something happen.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace opr::test {

// Paths of this build's artifacts (set by CMake; see tests/support/CMakeLists.txt).
std::filesystem::path operator_host();  // the operator-host executable
std::filesystem::path tikv_sim();       // the tikv-sim executable
std::filesystem::path packs_dir();      // where this build's packs land
std::filesystem::path test_packs_dir(); // where tests/packs fixtures land
std::filesystem::path fixtures_dir();   // tests/fixtures in the source tree
std::filesystem::path source_dir();     // the source tree's root
std::filesystem::path binary_dir();     // the build tree's root

// A fresh folder (mode 0700), removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bind to 0, read it back).
int free_port();

// Polls `condition` every `poll` until it is true or `timeout` passed.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll = std::chrono::milliseconds(20));

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& content);

struct ProcessOptions {
  std::map<std::string, std::string> env;  // added to (or replacing in) the environment
  std::vector<std::string> unset_env;      // removed from the environment
  std::optional<std::filesystem::path> cwd;
  std::optional<std::string> stdin_text;   // written to stdin, which is then closed
};

// A child process whose stdout and stderr go to files in a temp folder.
// The destructor kills it (SIGKILL) if it still runs.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const ProcessOptions& options = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  int pid() const { return pid_; }
  bool running();
  void signal(int signo);
  // The exit code (128 + signal when killed by one), or nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  std::string out() const;  // what it wrote to stdout so far
  std::string err() const;  // what it wrote to stderr so far
  // Waits until stdout or stderr contains `text`.
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout);

 private:
  int pid_ = -1;
  std::optional<int> exit_code_;
  TempDir dir_;
};

struct CommandResult {
  int exit_code = -1;  // -1: did not finish within the timeout (then killed)
  std::string out;
  std::string err;
};

// Runs a command to completion (or kills it after `timeout`).
CommandResult run_command(const std::vector<std::string>& argv, const ProcessOptions& options = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

// A plain HTTP/1.1 request to 127.0.0.1:port, for driving servers in tests.
struct HttpResult {
  int status = 0;  // 0: no response
  std::string body;
};
HttpResult http_request(int port, const std::string& method, const std::string& path,
                        const std::string& body = "",
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A real Prometheus server (Debian's /usr/bin/prometheus) on a free loopback
// port, scraping `targets` (host:port) every `scrape_interval` with
// honor_labels: true. Storage in a temp folder. Stopped on destruction.
class PrometheusServer {
 public:
  PrometheusServer(const std::vector<std::string>& targets,
                   std::chrono::milliseconds scrape_interval = std::chrono::seconds(1));
  ~PrometheusServer();
  int port() const { return port_; }
  std::string url() const;  // http://127.0.0.1:PORT
  // Waits until /-/ready answers 200.
  bool wait_ready(std::chrono::milliseconds timeout);
  void stop();

 private:
  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<Process> process_;
};

}  // namespace opr::test
