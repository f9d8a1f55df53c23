#include "pd_render.h"

#include <algorithm>
#include <cmath>

#include "go_format.h"
#include "json_writer.h"

namespace opr::sim {

namespace {

constexpr const char* kTikvVersion = "8.5.1";
constexpr const char* kTikvGitHash = "25897b73e1f0e93f616c764dbe65ed7db02edd07";
constexpr const char* kPdVersion = "v8.5.1";
constexpr const char* kPdGitHash = "5036cc277fc8c0e7fa1219265ae407de80b950b7";
constexpr std::int64_t kSecondNs = 1'000'000'000;

// pkg/core/store.go regionScoreV2 with PD's defaults (low-space-ratio 0.8).
double region_score(double available_bytes, double capacity_bytes, double region_size_mib) {
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
  const double a = available_bytes / kGiB;
  const double c = capacity_bytes / kGiB;
  const double r = region_size_mib;
  const double k = 1, m = 256, b = 1e7;
  const double f = std::max(50.0, c * (1 - 0.8));
  if (a >= c || c < 1) return r;
  if (a > f) return (k + m * (std::log(c) - std::log(a - f + 1)) / (c - a + f - 1)) * r;
  return (k + m * std::log(c) / c) * r + b * (f - a) / f;
}

void write_store_info(JsonWriter& w, const Store& s, std::int64_t now_ns) {
  const std::int64_t heartbeat = last_heartbeat_ns(s, now_ns);
  const bool tombstone = s.condition == Condition::kTombstone;
  const bool leads = s.condition == Condition::kUp;

  w.begin_object().key("store").begin_object();
  w.key("id").value(s.id);
  w.key("address").value(s.address);
  if (metapb_state(s) != 0) w.key("state").value(metapb_state(s));
  w.key("labels").begin_array();
  w.begin_object().key("key").value("zone").key("value").value(s.zone).end_object();
  w.begin_object().key("key").value("host").key("value").value(s.host_label).end_object();
  w.end_array();
  w.key("version").value(kTikvVersion);
  w.key("peer_address").value(s.address);
  w.key("status_address").value(s.status_address);
  w.key("git_hash").value(kTikvGitHash);
  w.key("start_timestamp").value(s.start_timestamp_s);
  w.key("deploy_path").value("/tidb-deploy/tikv-20160/bin");
  w.key("last_heartbeat").value(heartbeat);
  w.key("node_state").value(node_state(s));
  w.key("state_name").value(pd_state_name(s, now_ns));
  w.end_object();

  const std::uint64_t used = used_bytes(s);
  const std::uint64_t available = s.capacity_bytes - std::min(used, s.capacity_bytes);
  const std::int64_t leaders = leads ? s.leader_count : 0;
  const std::int64_t leader_size = leads ? s.leader_size_mib : 0;
  const std::int64_t regions = tombstone ? 0 : s.region_count;
  const std::int64_t region_size = tombstone ? 0 : s.region_size_mib;
  w.key("status").begin_object();
  w.key("capacity").value(go_bytes_size(s.capacity_bytes));
  w.key("available").value(go_bytes_size(available));
  w.key("used_size").value(go_bytes_size(used));
  w.key("leader_count").value(leaders);
  w.key("leader_weight").value(1.0);
  w.key("leader_score").value(static_cast<double>(leaders));
  w.key("leader_size").value(leader_size);
  w.key("region_count").value(regions);
  w.key("region_weight").value(1.0);
  w.key("region_score")
      .value(region_score(static_cast<double>(available), static_cast<double>(s.capacity_bytes),
                          static_cast<double>(region_size)));
  w.key("region_size").value(region_size);
  if (s.slow_score != 0) w.key("slow_score").value(s.slow_score);  // omitempty
  w.key("slow_trend").begin_object();
  w.key("cause_value").value(s.slow_trend_cause);
  w.key("cause_rate").value(0);
  w.key("result_value").value(serves_metrics(s) ? s.qps : 0);
  w.key("result_rate").value(0);
  w.end_object();
  w.key("start_ts").value(go_rfc3339_nano_utc(s.start_timestamp_s * kSecondNs));
  w.key("last_heartbeat_ts").value(go_rfc3339_nano_utc(heartbeat));
  const std::int64_t uptime = heartbeat - s.start_timestamp_s * kSecondNs;
  if (uptime > 0) w.key("uptime").value(go_duration(uptime));
  w.end_object();
  w.end_object();
}

void write_member(JsonWriter& w, const PdMember& m) {
  w.begin_object();
  w.key("name").value(m.name);
  w.key("member_id").value(m.member_id);
  w.key("peer_urls").begin_array().value(m.peer_url).end_array();
  w.key("client_urls").begin_array().value(m.client_url).end_array();
  w.key("deploy_path").value("/tidb-deploy/pd-2379/bin");
  w.key("binary_version").value(kPdVersion);
  w.key("git_hash").value(kPdGitHash);
  w.end_object();
}

}  // namespace

std::string render_stores(const std::vector<Store>& stores, const std::vector<std::size_t>& order,
                          const std::vector<int>& states, std::int64_t now_ns) {
  std::vector<std::size_t> chosen;
  chosen.reserve(order.size());
  for (const std::size_t i : order) {
    if (std::find(states.begin(), states.end(), metapb_state(stores[i])) != states.end()) {
      chosen.push_back(i);
    }
  }
  JsonWriter w(chosen.size() * 1400 + 64);
  w.begin_object();
  w.key("count").value(static_cast<std::uint64_t>(chosen.size()));
  w.key("stores").begin_array();
  for (const std::size_t i : chosen) write_store_info(w, stores[i], now_ns);
  w.end_array();
  w.end_object();
  return w.finish();
}

std::string render_store(const Store& store, std::int64_t now_ns) {
  JsonWriter w(1600);
  write_store_info(w, store, now_ns);
  return w.finish();
}

std::string render_health(const Cluster& cluster) {
  const PdView view = cluster.pd_view();
  JsonWriter w;
  w.begin_array();
  for (std::size_t i = 0; i < cluster.members().size(); ++i) {
    const PdMember& m = cluster.members()[i];
    w.begin_object();
    w.key("name").value(m.name);
    w.key("member_id").value(m.member_id);
    w.key("client_urls").begin_array().value(m.client_url).end_array();
    w.key("health").value(static_cast<bool>(view.healthy[i]));
    w.end_object();
  }
  w.end_array();
  return w.finish();
}

std::string render_members(const Cluster& cluster) {
  const PdView view = cluster.pd_view();
  JsonWriter w;
  w.begin_object();
  w.key("header").begin_object().key("cluster_id").value(cluster.cluster_id()).end_object();
  w.key("members").begin_array();
  for (const auto& m : cluster.members()) write_member(w, m);
  w.end_array();
  // pdpb.GetMembersResponse's leader fields are omitempty: without a leader
  // (etcd lost its quorum) both are left out.
  if (view.leader) {
    w.key("leader");
    write_member(w, cluster.members()[*view.leader]);
    w.key("etcd_leader");
    write_member(w, cluster.members()[*view.leader]);
  }
  w.end_object();
  return w.finish();
}

std::string render_error(const std::string& message) { return json_quote(message) + "\n"; }

}  // namespace opr::sim
