// opr_test_support: what every test may use, with no dependency beyond
// GoogleTest: this build's paths and packs, temp folders, free ports, waits
// with deadlines, child processes, a plain HTTP client, environment
// variables restored on scope exit, and a few text helpers. See
// tests/README.md for the other support libraries and when to use which.
//
// Every wait has a deadline; nothing sleeps for a fixed time to let
// something happen.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace opr::test {

// --- this build -------------------------------------------------------------

// Paths of this build's artifacts (set by CMake; see tests/support/CMakeLists.txt).
std::filesystem::path operator_host();   // the operator-host executable
std::filesystem::path tikv_sim();        // the tikv-sim executable
std::filesystem::path packs_dir();       // where this build's packs land
std::filesystem::path test_packs_dir();  // where tests/packs fixtures land
std::filesystem::path fixtures_dir();    // tests/fixtures in the source tree
std::filesystem::path source_dir();      // the source tree's root
std::filesystem::path binary_dir();      // the build tree's root

// The built example pack (plugins/example).
std::filesystem::path example_pack();
// A pack built from tests/packs (e.g. "control", "misbehaving", "bad").
std::filesystem::path fixture_pack(const std::string& name);
// Copies `pack` into `dir` as `name` (default: its own name), mode 0755, and
// returns the copy's path. Tests load copies from folders of their own so
// that only the packs they name are there.
std::filesystem::path copy_pack(const std::filesystem::path& pack, const std::filesystem::path& dir,
                                const std::string& name = "");

// What every command prints for the `abi_major` fixture pack (a pack built
// for the next ABI major) found at `file`: "FILE: pack ABI 2.0 is
// incompatible with this host's 1.2 (the major versions differ); rebuild the
// pack against SDK 1.2 or use an operator-host of ABI 2.x", the refusal and
// how to fix it, with this build's ABI version.
std::string abi_major_refusal(const std::filesystem::path& file);
// What every command says of a pack `file` whose op_pack_entry segfaults
// (the `crash_entry` fixture pack): "FILE: crashed with SIGSEGV while
// loading". Under ASan and UBSan, whose handlers turn a crash into a report
// and exit 1, it is "FILE: exited with status 1 while loading".
std::string crashed_while_loading(const std::filesystem::path& file);

// --- files and folders ------------------------------------------------------

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

// The whole file ("" when it cannot be read).
std::string read_file(const std::filesystem::path& path);
// Replaces the file's content at once (written beside, then renamed over it,
// keeping its mode): a reader never sees it empty. Throws when it cannot.
void write_file(const std::filesystem::path& path, const std::string& content);

// --- text -------------------------------------------------------------------

// Whether `part` occurs in `text`. For output and messages, where a test
// names the words that matter and not the whole line.
bool contains(const std::string& text, const std::string& part);
// How many times `needle` occurs in `text` (overlapping occurrences count).
int count_occurrences(const std::string& text, const std::string& needle);
// The first byte of `text` a terminal would act on (a C0 control other than
// a line break or tab, DEL, a C1 control) or that is not UTF-8, described
// with its offset; "" when there is none. For output from outside text,
// written apart from the host's own rule (common/terminal_text.h) so that
// it checks it.
std::string raw_terminal_control(const std::string& text);
// How many lines of `file` equal `line` (0 when the file is missing).
int count_lines(const std::filesystem::path& file, const std::string& line);

// What `call` threw as an `Error`, by its what(); `none` when it threw
// nothing. For tests of refusals, whose message is what the user reads.
template <typename Error, typename Call>
std::string error_of(Call&& call, const std::string& none = "") {
  try {
    call();
  } catch (const Error& e) {
    return e.what();
  }
  return none;
}

// --- hostile input ----------------------------------------------------------

// A YAML "billion laughs": keys a0 .. a<levels>, a0 a list of nine scalars
// and each next key a list of nine aliases of the one before, so a<n>
// expands to about 10 * 9^n nodes from a few hundred bytes (levels 8: 486 bytes,
// 4.3e8 nodes).
std::string billion_laughs_yaml(int levels);

// --- waiting ----------------------------------------------------------------

// Polls `condition` every `poll` until it is true (returns true) or
// `timeout` passed (returns false). The one way to wait for something.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll = std::chrono::milliseconds(20));

// A latch between a test and the code it holds up (a server handler, a job
// on a worker): wait() blocks until the test calls open(), so timeouts and
// stuck work are tested without sleeping for a fixed time. wait() gives up
// after `limit` all the same, so a test that fails before opening its gate
// cannot hang the suite.
class Gate {
 public:
  explicit Gate(std::chrono::milliseconds limit = std::chrono::seconds(10)) : limit_(limit) {}
  Gate(const Gate&) = delete;
  Gate& operator=(const Gate&) = delete;

  // Blocks until open() or `limit`; true when opened.
  bool wait();
  void open();

 private:
  const std::chrono::milliseconds limit_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Gate's counterpart across processes: the control pack's `block_until PATH`
// (a run, or create() and destroy() through its lifecycle_file) waits until
// path() exists, ignoring cancellation: a pack stuck for as long as the test
// wants. open() creates the file, and so does the destructor, so every call
// blocked on it is let go when the test ends, whatever happened. Declare it
// after the HostHarness (or TempDir) whose folder holds it.
class FileGate {
 public:
  explicit FileGate(std::filesystem::path path) : path_(std::move(path)) {}
  ~FileGate() { open(); }
  FileGate(const FileGate&) = delete;
  FileGate& operator=(const FileGate&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Creates the file (again); never throws.
  void open() const;

 private:
  std::filesystem::path path_;
};

// --- the environment --------------------------------------------------------

// Sets an environment variable of this process (unsets it when `value` is
// null) and puts back what was there when it goes out of scope. Use it for
// every change a test makes to its own environment; a child process gets
// its environment through ProcessOptions instead.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

  // Changes the variable again; the destructor still restores the original.
  void set(const char* value);
  void unset() { set(nullptr); }

 private:
  std::string name_;
  std::optional<std::string> original_;
};

// --- ports and processes ----------------------------------------------------

// A TCP port on 127.0.0.1 that was free a moment ago (bind to 0, read it back).
int free_port();

struct ProcessOptions {
  std::map<std::string, std::string> env;  // added to (or replacing in) the environment
  std::vector<std::string> unset_env;      // removed from the environment
  std::optional<std::filesystem::path> cwd;
  std::optional<std::string> stdin_text;  // written to stdin, which is then closed
};

// A child process whose stdout and stderr go to files in a temp folder.
// The destructor kills it (SIGKILL, its process group too) if it still runs.
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
  // Its peak resident memory in KiB (getrusage's ru_maxrss, read by
  // wait4), once it has exited; 0 before.
  long peak_rss_kb() const { return peak_rss_kb_; }
  std::string out() const;  // what it wrote to stdout so far
  std::string err() const;  // what it wrote to stderr so far
  // Waits until stdout or stderr contains `text`.
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout);

 private:
  int pid_ = -1;
  std::optional<int> exit_code_;
  long peak_rss_kb_ = 0;
  TempDir dir_;
};

struct CommandResult {
  int exit_code = -1;  // -1: did not finish within the timeout (then killed)
  std::string out;
  std::string err;
  long peak_rss_kb = 0;  // its peak resident memory (Process::peak_rss_kb)
};

// Runs a command to completion (or kills it after `timeout`).
CommandResult run_command(const std::vector<std::string>& argv, const ProcessOptions& options = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

// `operator-host ARGS...` of this build, run to completion: for commands
// that need no config of the test's own (tickets, plugins, config check).
// With a config and a database, use HostHarness (host_harness.h).
CommandResult run_operator_host(const std::vector<std::string>& args,
                                const ProcessOptions& options = {},
                                std::chrono::milliseconds timeout = std::chrono::seconds(60));

// --- HTTP -------------------------------------------------------------------

struct HttpResult {
  int status = 0;            // 0: no complete answer (refused, timed out, cut short)
  std::string content_type;  // the Content-Type header as sent ("" when absent)
  std::string body;          // chunked bodies come decoded
};

// Extra request headers: name, value.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// The tests' HTTP client: one HTTP/1.1 request to 127.0.0.1:port on a
// connection of its own (Connection: close), for driving and reading
// servers in tests (tikv-sim, Prometheus). A body is sent as
// application/json; `headers` go after Host. `timeout` bounds each send
// and receive. Not the product's client (core/http), which the tests test
// instead.
HttpResult http_request(int port, const std::string& method, const std::string& path,
                        const std::string& body = "",
                        std::chrono::milliseconds timeout = std::chrono::seconds(10),
                        const HttpHeaders& headers = {});

}  // namespace opr::test
