#include "cluster.h"

#include <algorithm>
#include <numeric>

namespace opr::sim {

namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;

std::int64_t uniform(std::mt19937_64& random, std::int64_t low, std::int64_t high) {
  return std::uniform_int_distribution<std::int64_t>(low, high)(random);
}

// TiUP-style hosts: 200 stores per /24, store 1 at 10.0.1.11 like the fixtures.
std::string store_host(std::uint64_t id) {
  return "10.0." + std::to_string(1 + (id - 1) / 200) + "." + std::to_string(11 + (id - 1) % 200);
}

Store make_store(std::uint64_t id, const ClusterOptions& options, std::int64_t now_ns,
                 std::int64_t steady_ns) {
  std::mt19937_64 random(options.seed * 0x9E3779B97F4A7C15ULL + id);
  Store s;
  s.id = id;
  const std::string host = store_host(id);
  s.address = host + ":20160";
  s.status_address = host + ":20180";
  s.zone = "z" + std::to_string(1 + (id - 1) % 3);
  s.host_label = "tikv-" + std::to_string(id);
  s.disk_used_percent = options.disk_used_percent;
  s.capacity_bytes = options.capacity_bytes;
  s.start_timestamp_s = now_ns / kSecondNs - uniform(random, 5 * 86400, 40 * 86400);
  s.heartbeat_anchor_ns = now_ns - uniform(random, 0, kHeartbeatIntervalNs - 1);
  s.region_count = uniform(random, 3000, 7000);
  const std::int64_t region_mib = uniform(random, 60, 80);
  s.region_size_mib = s.region_count * region_mib;
  s.leader_count = s.region_count / 3 + uniform(random, -s.region_count / 30, s.region_count / 30);
  s.leader_size_mib = s.leader_count * region_mib;
  s.slow_trend_cause = 250000 + static_cast<double>(uniform(random, 0, 200'000'000)) / 1e6;
  s.qps = uniform(random, 1000, 4000);
  s.segment_start_ns = steady_ns;
  init_family(s.family, steady_ns);
  s.p99_ms = options.p99_ms;
  s.latency = distribution_for_p99(options.p99_ms);
  return s;
}

}  // namespace

std::int64_t wall_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string_view pd_mode_name(PdMode mode) {
  switch (mode) {
    case PdMode::kOk:
      return "ok";
    case PdMode::kError:
      return "error";
    case PdMode::kHang:
      return "hang";
    case PdMode::kGarbage:
      return "garbage";
    case PdMode::kSlow:
      return "slow";
  }
  return "ok";
}

std::optional<PdMode> parse_pd_mode(std::string_view name) {
  for (const auto m :
       {PdMode::kOk, PdMode::kError, PdMode::kHang, PdMode::kGarbage, PdMode::kSlow}) {
    if (pd_mode_name(m) == name) return m;
  }
  return std::nullopt;
}

Cluster::Cluster(const ClusterOptions& options) : random_(options.seed) {
  const std::int64_t now = wall_now_ns();
  const std::int64_t steady = steady_now_ns();
  stores_.reserve(options.stores);
  for (std::size_t i = 0; i < options.stores; ++i) {
    stores_.push_back(make_store(i + 1, options, now, steady));
  }
  by_status_address_.resize(stores_.size());
  std::iota(by_status_address_.begin(), by_status_address_.end(), 0);
  std::sort(by_status_address_.begin(), by_status_address_.end(),
            [this](std::size_t a, std::size_t b) {
              return stores_[a].status_address < stores_[b].status_address;
            });

  // PD's cluster id is (bootstrap seconds << 32) + rand32; member ids are
  // random uint64s, the leader's above INT64_MAX as happens in real clusters.
  const auto bootstrap_s = static_cast<std::uint64_t>(now / kSecondNs - 41 * 86400);
  cluster_id_ = (bootstrap_s << 32) + (random_() & 0xFFFFFFFFULL);
  for (int i = 1; i <= 3; ++i) {
    const std::string ip = "10.0.1." + std::to_string(i);
    std::uint64_t member_id = random_() | 1;
    member_id = static_cast<std::size_t>(i - 1) == leader_index() ? member_id | (1ULL << 63)
                                                                  : member_id >> 1;
    members_.push_back(
        {"pd-" + ip + "-2379", member_id, "http://" + ip + ":2380", "http://" + ip + ":2379"});
  }
  pd_view_.healthy.assign(members_.size(), true);
  pd_view_.leader = leader_index();
  std::vector<std::int64_t> start_times;
  for (std::size_t i = 0; i < members_.size(); ++i) {
    start_times.push_back(now / kSecondNs - uniform(random_, 5 * 86400, 40 * 86400));
  }
  init_pd_metrics(pd_view_.metrics, start_times, steady);
}

PdView Cluster::pd_view() const {
  std::shared_lock lock(mutex_);
  return pd_view_;
}

std::optional<std::size_t> Cluster::member_index(std::string_view name) const {
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (members_[i].name == name) return i;
  }
  return std::nullopt;
}

void Cluster::set_member_health(std::size_t index, bool healthy) {
  std::unique_lock lock(mutex_);
  pd_view_.healthy.at(index) = healthy;
}

void Cluster::set_pd_leader(std::optional<std::size_t> index) {
  std::unique_lock lock(mutex_);
  // What the old leader grew stays with it; the new one grows from now.
  fold_leader_growth(pd_view_.metrics, pd_view_.leader, steady_now_ns());
  pd_view_.leader = index;
}

void Cluster::change_pd_member_metrics(std::size_t index, const PdMemberChange& change) {
  std::unique_lock lock(mutex_);
  apply_pd_member_change(pd_view_.metrics, index, change, pd_view_.leader, steady_now_ns(),
                         wall_now_ns() / kSecondNs);
}

void Cluster::change_pd_regions(const PdRegionsChange& change) {
  std::unique_lock lock(mutex_);
  apply_pd_regions_change(pd_view_.metrics, change, pd_view_.leader, steady_now_ns());
}

void Cluster::read_pd(
    const std::function<void(const std::vector<Store>&, const PdView&)>& reader) const {
  std::shared_lock lock(mutex_);
  reader(stores_, pd_view_);
}

void Cluster::read(const std::function<void(const std::vector<Store>&)>& reader) const {
  std::shared_lock lock(mutex_);
  reader(stores_);
}

std::vector<std::size_t> Cluster::shuffled_order() {
  std::vector<std::size_t> order(stores_.size());
  std::iota(order.begin(), order.end(), 0);
  std::lock_guard lock(random_mutex_);
  std::shuffle(order.begin(), order.end(), random_);
  return order;
}

void Cluster::set_pd_mode(PdMode mode, std::chrono::milliseconds slow_delay) {
  pd_slow_delay_ms_.store(slow_delay.count());
  pd_mode_.store(mode);
}

std::optional<Store> Cluster::change_store(std::uint64_t id, const StoreChange& change) {
  if (id == 0 || id > stores_.size()) return std::nullopt;
  const std::int64_t now = wall_now_ns();
  std::unique_lock lock(mutex_);
  Store& s = stores_[id - 1];
  if (change.condition && *change.condition != s.condition) {
    const Condition old = s.condition;
    std::int64_t jitter = 0;
    {
      std::lock_guard random_lock(random_mutex_);
      jitter = uniform(random_, kSecondNs, 10 * kSecondNs);
    }
    switch (*change.condition) {
      case Condition::kUp:
      case Condition::kOffline:
        if (s.stopped_heartbeat_ns) {
          // Heartbeats resume now; a Down or Tombstone store was restarted.
          s.stopped_heartbeat_ns.reset();
          s.heartbeat_anchor_ns = now;
          if (old == Condition::kDown || old == Condition::kTombstone) {
            s.start_timestamp_s = now / kSecondNs;
          }
        }
        break;
      case Condition::kDisconnected:
        s.stopped_heartbeat_ns = now - kDisconnectedAfterNs - jitter;
        break;
      case Condition::kDown:
        s.stopped_heartbeat_ns = now - kDownAfterNs - 12 * jitter;
        break;
      case Condition::kTombstone:
        if (!s.stopped_heartbeat_ns) s.stopped_heartbeat_ns = last_heartbeat_ns(s, now);
        break;
    }
    s.condition = *change.condition;
  }
  if (change.p99_ms) change_p99(s, *change.p99_ms, steady_now_ns());
  if (change.disk_used_percent) s.disk_used_percent = *change.disk_used_percent;
  if (change.capacity_bytes) s.capacity_bytes = *change.capacity_bytes;
  if (change.latency_metric) change_latency_metric(s, *change.latency_metric, steady_now_ns());
  if (change.disk_metric) s.disk_metric = *change.disk_metric;
  if (change.slow_score) s.slow_score = *change.slow_score;
  if (change.address) s.address = *change.address;
  apply_family_change(s, change.family, steady_now_ns(), now / kSecondNs);
  return s;
}

}  // namespace opr::sim
