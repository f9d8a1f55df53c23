#include "tickets/store_gauges.h"

#include <soci/soci.h>

#include "tickets/ticket_store.h"
#include "tickets/write_transaction.h"

namespace opr::tickets {

StoreGauges::StoreGauges(const std::string& connection)
    : target_(parse_connection(connection)), sql_(connect(target_)) {}

StoreGauges::~StoreGauges() = default;

std::vector<OpenTicketCount> StoreGauges::open_tickets() {
  std::lock_guard lock(mutex_);
  try {
    return read_open_ticket_counts(*sql_);
  } catch (const soci::soci_error& e) {
    throw StoreError("cannot count open tickets in " + target_.display + ": " +
                     target_.shown(e.what()));
  }
}

std::vector<QueuedNotificationCount> StoreGauges::queued_notifications() {
  std::lock_guard lock(mutex_);
  std::vector<QueuedNotificationCount> counts;
  try {
    QueuedNotificationCount row;
    long long count = 0;
    soci::statement select = (sql_->prepare << "SELECT receiver, COUNT(*) FROM notifications"
                                               " WHERE state = 'pending' GROUP BY receiver",
                              soci::into(row.receiver), soci::into(count));
    select.execute();
    while (select.fetch()) {
      row.count = count;
      counts.push_back(row);
    }
  } catch (const soci::soci_error& e) {
    throw StoreError("cannot count queued notifications in " + target_.display + ": " +
                     target_.shown(e.what()));
  }
  return counts;
}

std::optional<std::string> StoreGauges::write_problem(std::chrono::milliseconds wait) {
  std::lock_guard lock(mutex_);
  try {
    if (target_.backend == "postgresql") {
      probe_postgresql_write_lock(*sql_, wait);
      return std::nullopt;
    }
    if (target_.backend != "sqlite3") {
      int one = 0;
      *sql_ << "SELECT 1", soci::into(one);
      return std::nullopt;
    }
    if (busy_timeout_ != wait) {
      *sql_ << "PRAGMA busy_timeout = " + std::to_string(wait.count());
      busy_timeout_ = wait;
    }
    *sql_ << "BEGIN IMMEDIATE";
    *sql_ << "ROLLBACK";
    return std::nullopt;
  } catch (const soci::soci_error& e) {
    return target_.shown(e.what());
  }
}

}  // namespace opr::tickets
