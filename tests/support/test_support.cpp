#include "test_support.h"

#include <operator/plugin.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace opr::test {
namespace fs = std::filesystem;

fs::path operator_host() { return OPR_TEST_OPERATOR_HOST; }
fs::path tikv_sim() { return OPR_TEST_TIKV_SIM; }
fs::path packs_dir() { return OPR_TEST_PACKS_DIR; }
fs::path test_packs_dir() { return OPR_TEST_TEST_PACKS_DIR; }
fs::path fixtures_dir() { return OPR_TEST_FIXTURES_DIR; }
fs::path source_dir() { return OPR_TEST_SOURCE_DIR; }
fs::path binary_dir() { return OPR_TEST_BINARY_DIR; }

fs::path example_pack() { return packs_dir() / "example.so"; }
fs::path fixture_pack(const std::string& name) { return test_packs_dir() / (name + ".so"); }

fs::path copy_pack(const fs::path& pack, const fs::path& dir, const std::string& name) {
  const auto target = dir / (name.empty() ? pack.filename().string() : name);
  fs::copy_file(pack, target, fs::copy_options::overwrite_existing);
  fs::permissions(target, fs::perms(0755));
  return target;
}

std::string crashed_while_loading(const fs::path& file) {
#if defined(__SANITIZE_ADDRESS__) || defined(OPR_SANITIZED)
  return file.string() + ": exited with status 1 while loading";
#else
  return file.string() + ": crashed with SIGSEGV while loading";
#endif
}

std::string abi_major_refusal(const fs::path& file) {
  const std::string host = std::to_string(OP_ABI_MAJOR) + "." + std::to_string(OP_ABI_MINOR);
  const std::string next = std::to_string(OP_ABI_MAJOR + 1);
  return file.string() + ": pack ABI " + next + ".0 is incompatible with this host's " + host +
         " (the major versions differ); rebuild the pack against SDK " + host +
         " or use an operator-host of ABI " + next + ".x";
}

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "operator-test.XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("bind failed");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(poll);
  }
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const fs::path& path, const std::string& content) {
  // Written beside and renamed over, so a process reading the file (a
  // pack's command file, a config) never sees it empty or half written.
  const fs::path temp = path.string() + ".write-" + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + temp.string());
  }
  std::error_code error;
  const auto permissions = fs::status(path, error).permissions();
  if (!error) fs::permissions(temp, permissions, error);
  fs::rename(temp, path);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

int count_occurrences(const std::string& text, const std::string& needle) {
  int count = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) {
    ++count;
  }
  return count;
}

std::string raw_terminal_control(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto at = [&](const char* what) {
      std::ostringstream out;
      out << what << " 0x" << std::hex << static_cast<int>(c) << " at byte " << std::dec << i;
      return out.str();
    };
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return at("control byte");
      ++i;
      continue;
    }
    const size_t length = c >= 0xC2 && c <= 0xDF   ? 2
                          : c >= 0xE0 && c <= 0xEF ? 3
                          : c >= 0xF0 && c <= 0xF4 ? 4
                                                   : 0;
    if (length == 0 || i + length > text.size()) return at("not UTF-8");
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return at("not UTF-8");
    }
    if (c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) return at("C1 control");
    i += length;
  }
  return "";
}

std::string billion_laughs_yaml(int levels) {
  std::string yaml = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= levels; ++i) {
    const std::string below = "*a" + std::to_string(i - 1);
    yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + below;
    for (int k = 1; k < 9; ++k) yaml += ", " + below;
    yaml += "]\n";
  }
  return yaml;
}

int count_lines(const fs::path& file, const std::string& line) {
  std::ifstream in(file);
  int count = 0;
  for (std::string text; std::getline(in, text);) count += text == line ? 1 : 0;
  return count;
}

bool Gate::wait() {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, limit_, [this] { return open_; });
}

void Gate::open() {
  {
    std::lock_guard lock(mutex_);
    open_ = true;
  }
  cv_.notify_all();
}

void FileGate::open() const {
  // No write_file: this runs in a destructor and must not throw.
  std::ofstream out(path_, std::ios::trunc);
  out << "go\n";
}

ScopedEnv::ScopedEnv(const char* name, const char* value) : name_(name) {
  if (const char* original = std::getenv(name)) original_ = original;
  set(value);
}

ScopedEnv::~ScopedEnv() { set(original_ ? original_->c_str() : nullptr); }

void ScopedEnv::set(const char* value) {
  if (value != nullptr) {
    ::setenv(name_.c_str(), value, 1);
  } else {
    ::unsetenv(name_.c_str());
  }
}

namespace {

std::vector<std::string> build_environment(const ProcessOptions& options) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& name : options.unset_env) env.erase(name);
  for (const auto& [name, value] : options.env) env[name] = value;
  std::vector<std::string> out;
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

}  // namespace

Process::Process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  if (argv.empty()) throw std::runtime_error("Process: empty argv");
  const std::vector<std::string> env = build_environment(options);
  std::vector<char*> c_argv;
  for (const auto& a : argv) c_argv.push_back(const_cast<char*>(a.c_str()));
  c_argv.push_back(nullptr);
  std::vector<char*> c_env;
  for (const auto& e : env) c_env.push_back(const_cast<char*>(e.c_str()));
  c_env.push_back(nullptr);
  const std::string out_path = (dir_.path() / "stdout").string();
  const std::string err_path = (dir_.path() / "stderr").string();
  const std::string cwd = options.cwd ? options.cwd->string() : std::string();

  int stdin_pipe[2] = {-1, -1};
  if (options.stdin_text && ::pipe(stdin_pipe) != 0) throw std::runtime_error("pipe failed");

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Child: only async-signal-safe calls from here on.
    const int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out_fd < 0 || err_fd < 0) ::_exit(127);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    if (stdin_pipe[0] >= 0) {
      ::dup2(stdin_pipe[0], 0);
      ::close(stdin_pipe[0]);
      ::close(stdin_pipe[1]);
    } else {
      const int null_fd = ::open("/dev/null", O_RDONLY);
      if (null_fd >= 0) ::dup2(null_fd, 0);
    }
    ::setpgid(0, 0);  // so a test's kill reaches the child's own children too
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(127);
    ::execve(c_argv[0], c_argv.data(), c_env.data());
    ::_exit(127);
  }
  if (stdin_pipe[0] >= 0) {
    ::close(stdin_pipe[0]);
    const std::string& text = *options.stdin_text;
    size_t written = 0;
    while (written < text.size()) {
      const ssize_t n = ::write(stdin_pipe[1], text.data() + written, text.size() - written);
      if (n <= 0) break;
      written += static_cast<size_t>(n);
    }
    ::close(stdin_pipe[1]);
  }
}

Process::~Process() {
  if (running()) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    wait(std::chrono::seconds(10));
  }
}

bool Process::running() {
  if (exit_code_ || pid_ <= 0) return false;
  int status = 0;
  struct rusage usage {};
  const pid_t r = ::wait4(pid_, &status, WNOHANG, &usage);
  if (r == 0) return true;
  if (r == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    peak_rss_kb_ = usage.ru_maxrss;
  } else {
    exit_code_ = -1;
  }
  return false;
}

void Process::signal(int signo) {
  if (running()) ::kill(pid_, signo);
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
  if (wait_until([this] { return !running(); }, timeout, std::chrono::milliseconds(5))) {
    return exit_code_;
  }
  return std::nullopt;
}

std::string Process::out() const { return read_file(dir_.path() / "stdout"); }
std::string Process::err() const { return read_file(dir_.path() / "stderr"); }

bool Process::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
  return wait_until(
      [&] {
        return out().find(text) != std::string::npos || err().find(text) != std::string::npos;
      },
      timeout, std::chrono::milliseconds(20));
}

CommandResult run_command(const std::vector<std::string>& argv, const ProcessOptions& options,
                          std::chrono::milliseconds timeout) {
  Process process(argv, options);
  CommandResult result;
  const auto code = process.wait(timeout);
  if (!code) {
    process.signal(SIGKILL);
    process.wait(std::chrono::seconds(10));
  }
  result.exit_code = code.value_or(-1);
  result.peak_rss_kb = process.peak_rss_kb();
  result.out = process.out();
  result.err = process.err();
  return result;
}

CommandResult run_operator_host(const std::vector<std::string>& args, const ProcessOptions& options,
                                std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {operator_host().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, options, timeout);
}

namespace {

// A body of Transfer-Encoding: chunked, decoded; nullopt when it is cut
// short (no last chunk).
std::optional<std::string> decode_chunked(const std::string& payload) {
  std::string decoded;
  size_t pos = 0;
  while (pos < payload.size()) {
    const auto line_end = payload.find("\r\n", pos);
    if (line_end == std::string::npos) break;
    const size_t size = std::strtoul(payload.substr(pos, line_end - pos).c_str(), nullptr, 16);
    if (size == 0) return decoded;
    if (line_end + 2 + size > payload.size()) break;
    decoded += payload.substr(line_end + 2, size);
    pos = line_end + 2 + size + 2;
  }
  return std::nullopt;
}

// The value of the header `name` (given in lower case) among `raw_headers`,
// one a line, as sent; nullopt when absent.
std::optional<std::string> header_value(const std::string& raw_headers, const std::string& name) {
  std::istringstream lines(raw_headers);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key != name) continue;
    const auto start = line.find_first_not_of(' ', colon + 1);
    return start == std::string::npos ? std::string() : line.substr(start);
  }
  return std::nullopt;
}

}  // namespace

HttpResult http_request(int port, const std::string& method, const std::string& path,
                        const std::string& body, std::chrono::milliseconds timeout,
                        const HttpHeaders& request_headers) {
  HttpResult result;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return result;
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return result;
  }
  std::string request = method + " " + path +
                        " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nConnection: close\r\n";
  for (const auto& [name, value] : request_headers) request += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    request +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      ::close(fd);
      return result;
    }
    sent += static_cast<size_t>(n);
  }
  // Connection: close, so the answer ends where the server hangs up.
  std::string response;
  bool closed = false;
  char buffer[65536];
  while (true) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      closed = n == 0;
      break;
    }
    response.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  const auto header_end = response.find("\r\n\r\n");
  if (response.rfind("HTTP/1.", 0) != 0 || header_end == std::string::npos) return result;
  const std::string headers = response.substr(0, header_end);
  std::string payload = response.substr(header_end + 4);
  if (const auto encoding = header_value(headers, "transfer-encoding");
      encoding && contains(*encoding, "chunked")) {
    auto decoded = decode_chunked(payload);
    if (!decoded) return result;
    payload = std::move(*decoded);
  } else if (const auto length = header_value(headers, "content-length")) {
    const size_t expected = std::strtoull(length->c_str(), nullptr, 10);
    if (payload.size() < expected) return result;
    payload.resize(expected);
  } else if (!closed) {
    return result;  // no length, and the wait ran out before the end
  }
  result.status = std::atoi(response.c_str() + 9);
  result.content_type = header_value(headers, "content-type").value_or("");
  result.body = std::move(payload);
  return result;
}

}  // namespace opr::test
