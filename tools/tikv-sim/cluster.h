// The simulated cluster: every store, the PD answer mode, and the clocks.
// Thread-safe; HTTP handlers read it under a shared lock and the control API
// changes it under an exclusive one.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <shared_mutex>
#include <string>
#include <vector>

#include "pd_metrics.h"
#include "store.h"

namespace opr::sim {

struct ClusterOptions {
  std::size_t stores = 3;
  std::uint64_t seed = 1;
  std::uint64_t capacity_bytes = 1ULL << 40;  // 1 TiB
  double disk_used_percent = 30;
  double p99_ms = 5;
};

// What a PD endpoint does instead of answering (see README.md).
enum class PdMode { kOk, kError, kHang, kGarbage, kSlow };
std::string_view pd_mode_name(PdMode mode);
std::optional<PdMode> parse_pd_mode(std::string_view name);

// A change asked for through POST /sim/stores/{id}; unset fields stay.
struct StoreChange {
  std::optional<Condition> condition;
  std::optional<double> p99_ms;
  std::optional<double> disk_used_percent;
  std::optional<std::uint64_t> capacity_bytes;
  std::optional<LatencyMetric> latency_metric;
  std::optional<DiskMetric> disk_metric;
  std::optional<std::uint64_t> slow_score;  // 0 to 100; 0: PD leaves the field out
  // PD's `address` and `peer_address` of the store, as given (for tests of
  // what PD says: any text, control characters included); the status
  // address, and so the store's metrics, stay.
  std::optional<std::string> address;
  FamilyChange family;  // the metric family's signals (family_signals.h)
};

// A fixed PD identity (cluster id, members), derived from the seed.
struct PdMember {
  std::string name;
  std::uint64_t member_id = 0;
  std::string peer_url;
  std::string client_url;
};

// PD's members as the control API left them: each member's health (GET
// /pd/api/v1/health) and the leader (GET /pd/api/v1/members).
struct PdView {
  std::vector<bool> healthy;          // by member index; all true at start
  std::optional<std::size_t> leader;  // member index; nullopt: PD has no leader
  PdMetricState metrics;              // each member's /metrics (pd_metrics.h)
};

std::int64_t wall_now_ns();
std::int64_t steady_now_ns();

class Cluster {
 public:
  explicit Cluster(const ClusterOptions& options);

  std::size_t size() const { return stores_.size(); }
  std::uint64_t cluster_id() const { return cluster_id_; }
  const std::vector<PdMember>& members() const { return members_; }
  // The leader the cluster starts with (its member id is above INT64_MAX).
  std::size_t leader_index() const { return 1; }

  PdView pd_view() const;
  // The index of the member named `name`, or nullopt.
  std::optional<std::size_t> member_index(std::string_view name) const;
  // Sets member `index`'s health (POST /sim/pd/members/{name}).
  void set_member_health(std::size_t index, bool healthy);
  // Moves PD's leadership to member `index`, or leaves PD without a leader
  // (POST /sim/pd/leader).
  void set_pd_leader(std::optional<std::size_t> index);
  // PD's metrics: a member's (POST /sim/pd/members/{name}) and the
  // leader's region state (POST /sim/pd/regions).
  void change_pd_member_metrics(std::size_t index, const PdMemberChange& change);
  void change_pd_regions(const PdRegionsChange& change);
  // Calls `reader` with every store and PD's view under one shared lock.
  void read_pd(const std::function<void(const std::vector<Store>&, const PdView&)>& reader) const;

  // Calls `reader` with every store (index = id - 1) under a shared lock.
  void read(const std::function<void(const std::vector<Store>&)>& reader) const;
  // Store indices sorted by status address, the order of /metrics series.
  const std::vector<std::size_t>& by_status_address() const { return by_status_address_; }
  // A fresh random permutation of store indices, as PD's map iteration gives.
  std::vector<std::size_t> shuffled_order();

  // Applies a change; nullopt when no store has that id.
  std::optional<Store> change_store(std::uint64_t id, const StoreChange& change);

  PdMode pd_mode() const { return pd_mode_.load(); }
  std::chrono::milliseconds pd_slow_delay() const {
    return std::chrono::milliseconds(pd_slow_delay_ms_.load());
  }
  void set_pd_mode(PdMode mode, std::chrono::milliseconds slow_delay);

  // Requests to PD's API so far (faulted ones too), so that tests and
  // benchmarks can count what a check asks for.
  void count_pd_request() const { pd_requests_.fetch_add(1); }
  std::uint64_t pd_requests() const { return pd_requests_.load(); }

  // Set once SIGTERM or SIGINT arrived; hanging handlers give up on it.
  bool stopping() const { return stopping_.load(); }
  void stop() { stopping_.store(true); }

 private:
  mutable std::shared_mutex mutex_;
  std::vector<Store> stores_;
  std::vector<std::size_t> by_status_address_;
  std::uint64_t cluster_id_ = 0;
  std::vector<PdMember> members_;
  PdView pd_view_;  // under mutex_

  std::mutex random_mutex_;
  std::mt19937_64 random_;

  std::atomic<PdMode> pd_mode_{PdMode::kOk};
  std::atomic<std::int64_t> pd_slow_delay_ms_{3000};
  std::atomic<bool> stopping_{false};
  mutable std::atomic<std::uint64_t> pd_requests_{0};
};

}  // namespace opr::sim
