// What the monitor's /metrics and /-/ready read from the ticket database,
// on a connection of their own: a scrape never waits for the engine's store
// (whose calls share one lock) nor makes the engine wait for it; in WAL
// mode its reads take no lock a writer needs.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tickets/connection.h"
#include "tickets/open_ticket_counts.h"

namespace soci {
class session;
}

namespace opr::tickets {

struct QueuedNotificationCount {
  std::string receiver;
  int64_t count = 0;
};

class StoreGauges {
 public:
  // Connects to `connection` (see connect()), which the monitor's store
  // has opened and migrated already. Throws StoreError.
  explicit StoreGauges(const std::string& connection);
  ~StoreGauges();
  StoreGauges(const StoreGauges&) = delete;
  StoreGauges& operator=(const StoreGauges&) = delete;

  // Non-resolved tickets by target, check and severity
  // (read_open_ticket_counts). Throws StoreError.
  std::vector<OpenTicketCount> open_tickets();
  // Notifications still to deliver (pending in the outbox), by receiver.
  // Throws StoreError.
  std::vector<QueuedNotificationCount> queued_notifications();
  // Why a write could not begin now (SQLite: BEGIN IMMEDIATE, waiting at
  // most `wait` for another writer, then rolled back; PostgreSQL: the
  // writers' advisory lock, the same way; other databases: a round trip),
  // or nullopt when it could.
  std::optional<std::string> write_problem(std::chrono::milliseconds wait);

 private:
  std::mutex mutex_;
  ConnectionTarget target_;
  std::unique_ptr<soci::session> sql_;
  std::chrono::milliseconds busy_timeout_{-1};
};

}  // namespace opr::tickets
