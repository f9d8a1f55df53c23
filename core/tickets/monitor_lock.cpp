#include "tickets/monitor_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "tickets/connection.h"

namespace opr::tickets {

namespace {

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "an unknown host";
  return name;
}

// "PID 1234 on host db-7", from what the holder wrote; the holder may not
// have written it yet (it locks first), or may be an older operator-host.
std::string describe_holder(int fd) {
  char buffer[512] = {};
  const ssize_t got = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string text(buffer, got > 0 ? static_cast<size_t>(got) : 0);
  const size_t space = text.find(' ');
  if (space == std::string::npos) return "a process that is starting";
  std::string host = text.substr(space + 1);
  while (!host.empty() && (host.back() == '\n' || host.back() == '\r')) host.pop_back();
  return "PID " + text.substr(0, space) + " on host " + host;
}

void write_holder(int fd) {
  const std::string text = std::to_string(::getpid()) + " " + host_name() + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, text.data(), text.size(), 0) < 0) {
    // The lock is what matters; the text only names us to the next one.
  }
}

}  // namespace

MonitorLock MonitorLock::acquire(const std::string& connection) {
  const ConnectionTarget target = parse_connection(connection);
  if (!target.sqlite_file) return MonitorLock(-1);
  const std::string path = target.sqlite_file->string() + "-monitor.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw StoreError("cannot open the monitor lock " + path + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if (error == EWOULDBLOCK) {
      const std::string holder = describe_holder(fd);
      ::close(fd);
      throw MonitorRunning("another monitor is using the ticket database " + target.display + ": " +
                           holder + " holds " + path +
                           "; stop it first, or give this one a database of its own (--db)");
    }
    ::close(fd);
    throw StoreError("cannot lock " + path + ": " + std::strerror(error));
  }
  write_holder(fd);
  return MonitorLock(fd);
}

MonitorLock::MonitorLock(MonitorLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

MonitorLock::~MonitorLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace opr::tickets
