// Several operator-host processes sharing the targets of one config on one
// PostgreSQL database: each target is run by exactly one live host, through
// leases in the database (tables cluster_hosts and target_leases).
//
// Why leases and not session advisory locks: a lock held by a connection is
// released only when the server notices that connection is gone, which
// after a network cut can take as long as TCP keepalives allow (minutes),
// while a lease ends by itself at a time the database's clock decides.
//
// Each host registers and renews every lease/3 on a connection of its own
// (a few round trips per renewal, none per run). Expiry is the database's
// clock_timestamp() plus the lease; the host judges its own leases by its
// monotonic clock from when it *sent* the renewal, which is never later
// than the database's expiry, so clock skew cannot make two owners. A run
// starts only if the lease outlives its timeout, and its result is written
// only while the lease holds (tickets::check_lease, in the write
// transaction). A host over its fair share (ceil(targets / live hosts))
// releases extras that are not running; one under it claims free or
// expired ones, never a live lease. The database-wide chores (the outbox's
// sender, expired acknowledgements, repeats, flapping) have a lease of
// their own, held by one host at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/ownership.h"
#include "tickets/connection.h"

namespace soci {
class session;
}

namespace opr::cluster {

// The lease row of the chores: a name no target can have (targets are
// [A-Za-z0-9_.-]+).
inline constexpr const char* kChoresLease = "#chores";

// This process's name among the hosts: "HOSTNAME:PID".
std::string default_host_name();

// What /metrics shows of this host's part.
struct OwnershipGauges {
  std::size_t live_hosts = 0;
  std::size_t targets = 0;  // configured
  std::size_t owned = 0;
  bool chores = false;
};

class LeaseKeeper final : public engine::Ownership {
 public:
  // Connects to `target`'s database on a connection of its own. Throws
  // tickets::StoreError. Nothing is claimed before start().
  LeaseKeeper(const tickets::ConnectionTarget& target, std::string host,
              std::chrono::milliseconds lease, std::vector<std::string> targets);
  ~LeaseKeeper() override;
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  // Called, on the keeper's thread, with the targets each renewal took
  // over: the engine runs them at once. Set before start().
  void on_acquired(std::function<void(std::vector<std::string>)> listener);
  // The configured targets (at start and at each reload): leases of others
  // are released at the next renewal.
  void set_targets(std::vector<std::string> targets);

  // Registers, claims this host's share now, then renews every lease/3 on
  // a thread of its own. Throws tickets::StoreError when the first renewal
  // fails.
  void start();
  // Stops renewing and gives up every lease and this host's row, so that
  // the others take over at their next renewal. Call after the engine's
  // last run has returned.
  void stop();

  // One renewal now (start() and the thread call it; tests too). Renewals
  // take turns: the keeper's connection is used by one at a time.
  void renew();

  bool owns(const std::string& target) const override;
  bool begin_run(const std::string& target, std::chrono::milliseconds longest) override;
  void end_run(const std::string& target) override;
  bool runs_chores() const override;
  const std::string& host_name() const override { return host_; }

  OwnershipGauges gauges() const;

 private:
  using Steady = std::chrono::steady_clock;
  // Claims up to `wanted` of `order`, and the chores when `chores`; returns
  // what it got.
  void renew_locked();
  std::vector<std::string> claim(const std::vector<std::string>& order, std::size_t wanted,
                                 bool chores);
  void release(const std::vector<std::string>& targets);
  void loop();

  const tickets::ConnectionTarget target_;
  const std::string host_;
  const std::chrono::milliseconds lease_;
  std::mutex session_mutex_;            // held by whoever uses sql_
  std::unique_ptr<soci::session> sql_;  // guarded by session_mutex_
  bool reconnect_ = false;              // the last renewal failed; guarded by session_mutex_

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::string> targets_;    // guarded by mutex_
  std::set<std::string> owned_;         // guarded by mutex_; targets only
  bool chores_ = false;                 // guarded by mutex_
  Steady::time_point valid_until_{};    // guarded by mutex_; of every lease held
  std::map<std::string, int> running_;  // guarded by mutex_; runs begun, not ended
  std::size_t live_hosts_ = 0;          // guarded by mutex_
  std::function<void(std::vector<std::string>)> acquired_;
  std::thread thread_;
};

}  // namespace opr::cluster
