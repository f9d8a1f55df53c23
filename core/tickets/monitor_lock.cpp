#include "tickets/monitor_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <soci/soci.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

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

// PostgreSQL's advisory lock of the one monitor: "opmonito" in ASCII (the
// write lock is "operator", write_transaction.cpp). pg_locks shows a bigint
// key as its high and low halves.
constexpr long long kMonitorLockKey = 0x6f706d6f6e69746fLL;
constexpr long long kMonitorLockHigh = kMonitorLockKey >> 32;
constexpr long long kMonitorLockLow = kMonitorLockKey & 0xffffffffLL;
constexpr const char* kHolderPrefix = "operator-host monitor ";

// The holder's application_name, "operator-host monitor PID 1234 on host db-7",
// without its prefix; a holder that has not set it yet is starting.
std::string describe_postgresql_holder(soci::session& sql) {
  std::string name;
  soci::indicator indicator = soci::i_null;
  sql << "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
         " WHERE l.locktype = 'advisory' AND l.granted AND l.database ="
         " (SELECT oid FROM pg_database WHERE datname = current_database())"
         " AND l.classid = :high AND l.objid = :low AND l.objsubid = 1 LIMIT 1",
      soci::into(name, indicator), soci::use(kMonitorLockHigh), soci::use(kMonitorLockLow);
  if (indicator != soci::i_ok || name.rfind(kHolderPrefix, 0) != 0) {
    return "a process that is starting";
  }
  return name.substr(std::string(kHolderPrefix).size());
}

}  // namespace

MonitorLock::MonitorLock(int fd) : fd_(fd) {}

MonitorLock::MonitorLock(std::unique_ptr<soci::session> session) : session_(std::move(session)) {}

MonitorLock MonitorLock::acquire_postgresql(const ConnectionTarget& target) {
  std::unique_ptr<soci::session> sql = connect(target);
  try {
    int got = 0;
    *sql << "SELECT CASE WHEN pg_try_advisory_lock(:key) THEN 1 ELSE 0 END", soci::into(got),
        soci::use(kMonitorLockKey);
    if (got == 0) {
      throw MonitorRunning("another monitor is using the ticket database " + target.display + ": " +
                           describe_postgresql_holder(*sql) +
                           " holds its advisory lock; stop it first, or give this one a database "
                           "of its own (--db)");
    }
    const std::string name = kHolderPrefix + std::string("PID ") + std::to_string(::getpid()) +
                             " on host " + host_name();
    *sql << "SELECT set_config('application_name', :name, false)", soci::use(name);
  } catch (const soci::soci_error& e) {
    throw StoreError(
        target.shown("cannot lock the ticket database " + target.display + ": " + e.what()));
  }
  return MonitorLock(std::move(sql));
}

MonitorLock MonitorLock::acquire(const std::string& connection) {
  const ConnectionTarget target = parse_connection(connection);
  if (target.backend == "postgresql") {
    return acquire_postgresql(target);
  }
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

MonitorLock::MonitorLock(MonitorLock&& other) noexcept
    : fd_(other.fd_), session_(std::move(other.session_)) {
  other.fd_ = -1;
}

MonitorLock::~MonitorLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace opr::tickets
