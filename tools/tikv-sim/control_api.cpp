#include "control_api.h"

#include "pd_control.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <optional>

namespace opr::sim {

namespace {

using Json = nlohmann::ordered_json;

ControlAnswer error_answer(int status, const std::string& message) {
  return {status, Json{{"error", message}}.dump() + "\n"};
}

Json store_json(const Store& s, std::int64_t now_ns) {
  const std::uint64_t used = used_bytes(s);
  return Json{{"id", s.id},
              {"address", s.address},
              {"status_address", s.status_address},
              {"state_name", condition_name(s.condition)},
              {"pd_state_name", pd_state_name(s, now_ns)},
              {"serves_metrics", serves_metrics(s)},
              {"p99_ms", s.p99_ms},
              {"disk_used_percent", s.disk_used_percent},
              {"capacity_bytes", s.capacity_bytes},
              {"latency_metric", latency_metric_name(s.latency_metric)},
              {"disk_metric", disk_metric_name(s.disk_metric)},
              {"slow_score", s.slow_score},
              {"used_bytes", used},
              {"available_bytes", s.capacity_bytes - std::min(used, s.capacity_bytes)},
              {"last_heartbeat", last_heartbeat_ns(s, now_ns)},
              {"family", family_json(s)}};
}

// Parses the body into a change, or says what is wrong with it.
std::variant<StoreChange, std::string> parse_change(const std::string& body) {
  const Json request = Json::parse(body, nullptr, false);
  if (request.is_discarded() || !request.is_object()) return "the body must be a JSON object";
  StoreChange change;
  for (const auto& [key, value] : request.items()) {
    if (key == "state_name") {
      const auto condition =
          value.is_string() ? parse_condition(value.get<std::string>()) : std::nullopt;
      if (!condition) return "state_name must be Up, Disconnected, Down, Offline or Tombstone";
      change.condition = condition;
    } else if (key == "p99_ms") {
      if (!value.is_number() || !p99_expressible(value.get<double>())) {
        return "p99_ms must be a number above 0.05 and at most 104857.6";
      }
      change.p99_ms = value.get<double>();
    } else if (key == "disk_used_percent") {
      if (!value.is_number() || !(value.get<double>() >= 0 && value.get<double>() <= 100)) {
        return "disk_used_percent must be a number from 0 to 100";
      }
      change.disk_used_percent = value.get<double>();
    } else if (key == "capacity_bytes") {
      if (!value.is_number_unsigned()) return "capacity_bytes must be a whole number of bytes";
      change.capacity_bytes = value.get<std::uint64_t>();
    } else if (key == "latency_metric") {
      const auto metric =
          value.is_string() ? parse_latency_metric(value.get<std::string>()) : std::nullopt;
      if (!metric) return "latency_metric must be normal, missing or idle";
      change.latency_metric = metric;
    } else if (key == "disk_metric") {
      const auto metric =
          value.is_string() ? parse_disk_metric(value.get<std::string>()) : std::nullopt;
      if (!metric) {
        return "disk_metric must be normal, missing, nan, negative, zero_capacity, "
               "available_over_capacity or no_available";
      }
      change.disk_metric = metric;
    } else if (key == "slow_score") {
      if (!value.is_number_unsigned() || value.get<std::uint64_t>() > 100) {
        return "slow_score must be a whole number from 0 to 100 (0: PD leaves it out)";
      }
      change.slow_score = value.get<std::uint64_t>();
    } else if (key == "address") {
      if (!value.is_string()) return "address must be a string";
      change.address = value.get<std::string>();
    } else if (auto problem = parse_family_field(key, value, change.family)) {
      if (!problem->empty()) return *problem;
    } else {
      return "unknown field \"" + key +
             "\" (expected state_name, p99_ms, disk_used_percent, capacity_bytes, "
             "latency_metric, disk_metric, slow_score, address or a metric-family field; see "
             "README.md)";
    }
  }
  return change;
}

}  // namespace

ControlAnswer change_store(Cluster& cluster, const std::string& id_text, const std::string& body) {
  std::uint64_t id = 0;
  const auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc() || end != id_text.data() + id_text.size()) {
    return error_answer(400, "store id must be a positive integer, not \"" + id_text + "\"");
  }
  auto parsed = parse_change(body);
  if (auto* message = std::get_if<std::string>(&parsed)) return error_answer(400, *message);
  const auto store = cluster.change_store(id, std::get<StoreChange>(parsed));
  if (!store) return error_answer(404, "no store " + id_text);
  return {200, store_json(*store, wall_now_ns()).dump(2) + "\n"};
}

ControlAnswer change_pd_mode(Cluster& cluster, const std::string& body) {
  const Json request = Json::parse(body, nullptr, false);
  if (request.is_discarded() || !request.is_object() || !request.contains("mode") ||
      !request["mode"].is_string()) {
    return error_answer(400, "the body must be {\"mode\": \"ok|error|hang|garbage|slow\"}");
  }
  const auto mode = parse_pd_mode(request["mode"].get<std::string>());
  if (!mode) return error_answer(400, "mode must be ok, error, hang, garbage or slow");
  auto delay = std::chrono::milliseconds(3000);
  if (request.contains("delay_ms")) {
    if (!request["delay_ms"].is_number_unsigned()) {
      return error_answer(400, "delay_ms must be a whole number of milliseconds");
    }
    delay = std::chrono::milliseconds(request["delay_ms"].get<std::int64_t>());
  }
  for (const auto& [key, value] : request.items()) {
    if (key != "mode" && key != "delay_ms") {
      return error_answer(400, "unknown field \"" + key + "\" (expected mode or delay_ms)");
    }
  }
  cluster.set_pd_mode(*mode, delay);
  return {200, Json{{"mode", pd_mode_name(*mode)}, {"delay_ms", delay.count()}}.dump() + "\n"};
}

namespace {

Json member_json(const Cluster& cluster, const PdView& view, std::size_t index) {
  const PdMember& m = cluster.members()[index];
  return Json{{"name", m.name},
              {"member_id", m.member_id},
              {"client_url", m.client_url},
              {"health", static_cast<bool>(view.healthy[index])},
              {"leader", view.leader == index},
              {"metrics", pd_member_metrics_json(view.metrics.members[index])}};
}

Json members_json(const Cluster& cluster, const PdView& view) {
  Json members = Json::array();
  for (std::size_t i = 0; i < cluster.members().size(); ++i) {
    members.push_back(member_json(cluster, view, i));
  }
  return members;
}

}  // namespace

ControlAnswer change_pd_member(Cluster& cluster, const std::string& name, const std::string& body) {
  const Json request = Json::parse(body, nullptr, false);
  if (request.is_discarded() || !request.is_object()) {
    return error_answer(400, "the body must be {\"health\": true|false}");
  }
  std::optional<bool> health;
  PdMemberChange metrics;  // the member's own /metrics (pd_metrics.h)
  for (const auto& [key, value] : request.items()) {
    if (key == "health") {
      if (!value.is_boolean()) return error_answer(400, "health must be true or false");
      health = value.get<bool>();
    } else if (auto problem = parse_pd_member_field(key, value, metrics)) {
      if (!problem->empty()) return error_answer(400, *problem);
    } else {
      return error_answer(400, "unknown field \"" + key +
                                   "\" (expected health or a PD metric field; see README.md)");
    }
  }
  const auto index = cluster.member_index(name);
  if (!index) return error_answer(404, "no PD member " + name);
  if (health) cluster.set_member_health(*index, *health);
  cluster.change_pd_member_metrics(*index, metrics);
  return {200, member_json(cluster, cluster.pd_view(), *index).dump(2) + "\n"};
}

ControlAnswer change_pd_leader(Cluster& cluster, const std::string& body) {
  const Json request = Json::parse(body, nullptr, false);
  if (request.is_discarded() || !request.is_object() || !request.contains("name") ||
      !(request["name"].is_string() || request["name"].is_null())) {
    return error_answer(400, "the body must be {\"name\": \"<member name>\"} or {\"name\": null}");
  }
  for (const auto& [key, value] : request.items()) {
    if (key != "name") return error_answer(400, "unknown field \"" + key + "\" (expected name)");
  }
  std::optional<std::size_t> index;
  if (request["name"].is_string()) {
    const auto name = request["name"].get<std::string>();
    index = cluster.member_index(name);
    if (!index) return error_answer(404, "no PD member " + name);
  }
  cluster.set_pd_leader(index);
  const PdView view = cluster.pd_view();
  return {200, Json{{"leader", index ? Json(cluster.members()[*index].name) : Json(nullptr)},
                    {"members", members_json(cluster, view)}}
                       .dump(2) +
                   "\n"};
}

ControlAnswer describe_state(const Cluster& cluster) {
  const std::int64_t now = wall_now_ns();
  Json stores = Json::array();
  cluster.read([&](const std::vector<Store>& all) {
    for (const Store& s : all) stores.push_back(store_json(s, now));
  });
  Json state{{"pd_mode", pd_mode_name(cluster.pd_mode())},
             {"pd_slow_delay_ms", cluster.pd_slow_delay().count()},
             {"pd_requests", cluster.pd_requests()},
             {"stores", std::move(stores)}};
  const PdView view = cluster.pd_view();
  state["pd_leader"] = view.leader ? Json(cluster.members()[*view.leader].name) : Json(nullptr);
  state["pd_members"] = members_json(cluster, view);
  state["pd_metrics"] = pd_metrics_state_json(cluster, view);
  return {200, state.dump(2) + "\n"};
}

}  // namespace opr::sim
