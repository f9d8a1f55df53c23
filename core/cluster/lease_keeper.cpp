#include "cluster/lease_keeper.h"

#include <unistd.h>

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "cluster/fair_share.h"
#include "tickets/lease_fence.h"
#include "tickets/ticket_store.h"

namespace opr::cluster {

namespace {

using tickets::kDatabaseNowMs;

std::string now_ms() { return kDatabaseNowMs; }

// A host's row is dropped this many leases after it stopped renewing:
// `cluster status` shows it as gone until then.
constexpr int kForgetHostAfterLeases = 20;

}  // namespace

std::string default_host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') {
    return "unknown:" + std::to_string(::getpid());
  }
  return std::string(name) + ":" + std::to_string(::getpid());
}

LeaseKeeper::LeaseKeeper(const tickets::ConnectionTarget& target, std::string host,
                         std::chrono::milliseconds lease, std::vector<std::string> targets)
    : target_(target),
      host_(std::move(host)),
      lease_(lease),
      sql_(tickets::connect(target)),
      targets_(std::move(targets)) {}

LeaseKeeper::~LeaseKeeper() { stop(); }

void LeaseKeeper::on_acquired(std::function<void(std::vector<std::string>)> listener) {
  acquired_ = std::move(listener);
}

void LeaseKeeper::set_targets(std::vector<std::string> targets) {
  std::lock_guard lock(mutex_);
  targets_ = std::move(targets);
}

void LeaseKeeper::start() {
  try {
    renew();
  } catch (const soci::soci_error& e) {
    throw tickets::StoreError(
        target_.shown("cannot take this host's targets in " + target_.display + ": " + e.what()));
  }
  thread_ = std::thread([this] { loop(); });
}

void LeaseKeeper::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, lease_ / 3, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    try {
      renew();
    } catch (const std::exception& e) {
      // The leases held run out by themselves: runs stop starting when
      // what is left of them is too short (begin_run).
      spdlog::warn("cluster: could not renew the leases of host {}: {}", host_,
                   target_.shown(e.what()));
    }
    lock.lock();
  }
}

void LeaseKeeper::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    owned_.clear();
    chores_ = false;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard session(session_mutex_);
  try {
    *sql_ << "DELETE FROM target_leases WHERE host = :host", soci::use(host_);
    *sql_ << "DELETE FROM cluster_hosts WHERE host = :host", soci::use(host_);
    spdlog::info("cluster: host {} gave up its targets", host_);
  } catch (const std::exception& e) {
    spdlog::warn("cluster: could not give up the leases of host {} (they expire in {} ms): {}",
                 host_, lease_.count(), target_.shown(e.what()));
  }
}

void LeaseKeeper::renew() {
  std::lock_guard session(session_mutex_);
  try {
    if (reconnect_) sql_->reconnect();
    renew_locked();
    reconnect_ = false;
  } catch (...) {
    reconnect_ = true;  // the connection may be what failed
    throw;
  }
}

void LeaseKeeper::renew_locked() {
  // Judged from before the renewal is sent: the database's expiry is
  // never earlier than this host's.
  const Steady::time_point sent = Steady::now();
  const long long lease = lease_.count();
  soci::session& sql = *sql_;
  sql << "INSERT INTO cluster_hosts (host, started_at, heartbeat_at, expires_at)"
         " VALUES (:host, " +
             now_ms() + ", " + now_ms() + ", " + now_ms() +
             " + :lease)"
             " ON CONFLICT (host) DO UPDATE SET heartbeat_at = excluded.heartbeat_at,"
             " expires_at = excluded.expires_at",
      soci::use(host_), soci::use(lease);
  std::set<std::string> renewed;
  {
    soci::rowset<std::string> rows =
        (sql.prepare << "UPDATE target_leases SET expires_at = " + now_ms() +
                            " + :lease WHERE host = :host AND expires_at > " + now_ms() +
                            " RETURNING target",
         soci::use(lease), soci::use(host_));
    for (const auto& target : rows) renewed.insert(target);
  }
  int live = 0;
  const long long forget = lease * kForgetHostAfterLeases;
  sql << "DELETE FROM cluster_hosts WHERE expires_at < " + now_ms() + " - :forget",
      soci::use(forget);
  sql << "SELECT COUNT(*) FROM cluster_hosts WHERE expires_at > " + now_ms(), soci::into(live);
  std::set<std::string> leased;  // by anyone, unexpired
  {
    soci::rowset<std::string> rows =
        (sql.prepare << "SELECT target FROM target_leases WHERE expires_at > " + now_ms());
    for (const auto& target : rows) leased.insert(target);
  }

  std::vector<std::string> release_now;
  std::vector<std::string> order;
  std::size_t wanted = 0;
  bool want_chores = false;
  std::set<std::string> lost;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    const std::set<std::string> configured(targets_.begin(), targets_.end());
    for (const auto& target : owned_) {
      if (!renewed.count(target)) lost.insert(target);
    }
    owned_.clear();
    for (const auto& target : renewed) {
      if (target == kChoresLease) continue;
      if (configured.count(target)) {
        owned_.insert(target);
      } else {
        release_now.push_back(target);  // no longer in the config
      }
    }
    chores_ = renewed.count(kChoresLease) > 0;
    valid_until_ = sent + lease_;
    live_hosts_ = static_cast<std::size_t>(std::max(live, 1));
    const std::size_t share = fair_share(targets_.size(), live_hosts_);
    // Out of owned_ before the database hears of it: no run starts after.
    for (auto& target : targets_to_release(owned_, share, [this](const std::string& name) {
           const auto it = running_.find(name);
           return it != running_.end() && it->second > 0;
         })) {
      owned_.erase(target);
      release_now.push_back(std::move(target));
    }
    if (owned_.size() < share) {
      wanted = share - owned_.size();
      order = claim_order(targets_, owned_, leased, host_);
    }
    want_chores = !chores_ && !leased.count(kChoresLease);
  }
  for (const auto& target : lost) {
    spdlog::warn("cluster: host {} lost the lease of target '{}'", host_, target);
  }
  release(release_now);
  const std::vector<std::string> claimed = claim(order, wanted, want_chores);
  std::vector<std::string> acquired;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    for (const auto& target : claimed) {
      if (target == kChoresLease) {
        chores_ = true;
      } else {
        owned_.insert(target);
        acquired.push_back(target);
      }
    }
  }
  if (!acquired.empty()) {
    std::string names;
    for (const auto& name : acquired) names += (names.empty() ? "" : ", ") + name;
    spdlog::info("cluster: host {} took over {} target(s): {}", host_, acquired.size(), names);
    if (acquired_) acquired_(acquired);
  }
  if (want_chores && chores_) spdlog::info("cluster: host {} runs the database's chores", host_);
}

std::vector<std::string> LeaseKeeper::claim(const std::vector<std::string>& order,
                                            std::size_t wanted, bool chores) {
  std::vector<std::string> claimed;
  const long long lease = lease_.count();
  std::string target;
  soci::statement statement =
      (sql_->prepare << "INSERT INTO target_leases (target, host, since, expires_at)"
                        " VALUES (:target, :host, " +
                            now_ms() + ", " + now_ms() +
                            " + :lease)"
                            " ON CONFLICT (target) DO UPDATE SET host = excluded.host,"
                            " since = excluded.since, expires_at = excluded.expires_at"
                            " WHERE target_leases.expires_at <= excluded.since",
       soci::use(target), soci::use(host_), soci::use(lease));
  // Only a free or expired lease is taken: the WHERE is checked again
  // against the row as it is when the upsert locks it.
  const auto take = [&](const std::string& name) {
    target = name;
    statement.execute(true);
    if (statement.get_affected_rows() > 0) claimed.push_back(name);
  };
  if (chores) take(kChoresLease);
  // `order` holds the leases that had expired when this renewal read them;
  // most that are taken in between were renewed by a host whose renewal
  // came late (a loaded machine, a short lease), and then all of its leases
  // look free at once: trying each would cost a statement per target per
  // renewal. A few misses end this renewal's claims; the next one goes on.
  constexpr std::size_t kMaxMissedClaims = 16;
  std::size_t got = 0;
  std::size_t missed = 0;
  for (const auto& name : order) {
    if (got >= wanted || missed >= kMaxMissedClaims) break;
    take(name);
    if (!claimed.empty() && claimed.back() == name) {
      ++got;
    } else {
      ++missed;
    }
  }
  return claimed;
}

void LeaseKeeper::release(const std::vector<std::string>& targets) {
  std::string target;
  for (const auto& name : targets) {
    target = name;
    *sql_ << "DELETE FROM target_leases WHERE target = :target AND host = :host", soci::use(target),
        soci::use(host_);
    spdlog::info("cluster: host {} released target '{}' for another host to run", host_, name);
  }
}

bool LeaseKeeper::owns(const std::string& target) const {
  std::lock_guard lock(mutex_);
  return owned_.count(target) > 0 && Steady::now() < valid_until_;
}

bool LeaseKeeper::begin_run(const std::string& target, std::chrono::milliseconds longest) {
  std::lock_guard lock(mutex_);
  if (!owned_.count(target) || Steady::now() + longest >= valid_until_) return false;
  ++running_[target];
  return true;
}

void LeaseKeeper::end_run(const std::string& target) {
  std::lock_guard lock(mutex_);
  const auto it = running_.find(target);
  if (it == running_.end()) return;
  if (--it->second <= 0) running_.erase(it);
}

bool LeaseKeeper::runs_chores() const {
  std::lock_guard lock(mutex_);
  return chores_ && Steady::now() < valid_until_;
}

OwnershipGauges LeaseKeeper::gauges() const {
  std::lock_guard lock(mutex_);
  const bool valid = Steady::now() < valid_until_;
  return {live_hosts_, targets_.size(), valid ? owned_.size() : 0, valid && chores_};
}

}  // namespace opr::cluster
