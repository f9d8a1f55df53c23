// One monitor per ticket database. Two monitors on one database would count
// every violation twice and race to resolve each other's tickets, so the
// monitor (and --once, which applies results too) holds this lock for its
// whole life; the CLI's commands do not take it and keep working beside a
// running monitor.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "tickets/ticket_store.h"

namespace soci {
class session;
}

namespace opr::tickets {

struct ConnectionTarget;

// Another process holds the lock.
class MonitorRunning : public StoreError {
 public:
  using StoreError::StoreError;
};

class MonitorLock {
 public:
  // Takes the lock of the database `connection` names (the same strings
  // TicketStore::open takes), for as long as the MonitorLock lives. For a
  // SQLite file that is an flock(2) on "FILE-monitor.lock" beside it, which
  // the kernel releases when the process ends however it ends, so a crash
  // never leaves a stale lock; the file holds the holder's PID and host for
  // the message of the next one. For PostgreSQL it is a session-level
  // advisory lock on a connection of its own, which the server releases
  // when that connection ends, however it ends; the connection's
  // application_name names the holder. Other backends and ":memory:" are
  // not locked (held() is false). Throws MonitorRunning naming the holder, or
  // StoreError when the lock file cannot be made.
  static MonitorLock acquire(const std::string& connection);

  MonitorLock(MonitorLock&& other) noexcept;
  MonitorLock& operator=(MonitorLock&&) = delete;
  MonitorLock(const MonitorLock&) = delete;
  ~MonitorLock();

  bool held() const { return fd_ >= 0 || session_ != nullptr; }

 private:
  explicit MonitorLock(int fd);
  explicit MonitorLock(std::unique_ptr<soci::session> session);
  static MonitorLock acquire_postgresql(const ConnectionTarget& target);
  int fd_ = -1;
  std::unique_ptr<soci::session> session_;  // holds PostgreSQL's lock while open
};

}  // namespace opr::tickets
