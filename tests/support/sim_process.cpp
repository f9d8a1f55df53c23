#include "sim_process.h"

#include <gtest/gtest.h>

#include <regex>

namespace opr::test {

SimProcess::SimProcess(std::size_t stores, const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {tikv_sim().string(), "--stores", std::to_string(stores),
                                   "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  process_ = std::make_unique<Process>(argv);
  const bool ready = process_->wait_for_output(" stores\n", std::chrono::seconds(30));
  std::smatch match;
  const std::string out = process_->out();
  const std::regex ready_line(R"(tikv-sim listening on 127\.0\.0\.1:(\d+) with (\d+) stores\n)");
  if (!ready || !std::regex_search(out, match, ready_line)) {
    ADD_FAILURE() << "tikv-sim did not get ready; stdout: " << out
                  << " stderr: " << process_->err();
    return;
  }
  port_ = std::stoi(match[1]);
  EXPECT_EQ(std::to_string(stores), match[2].str());
}

HttpResult SimProcess::get(const std::string& path, std::chrono::milliseconds timeout) const {
  return http_request(port_, "GET", path, "", timeout);
}

HttpResult SimProcess::post(const std::string& path, const std::string& body) const {
  return http_request(port_, "POST", path, body);
}

void SimProcess::change_store(int id, const std::string& body) const {
  const auto answer = post("/sim/stores/" + std::to_string(id), body);
  ASSERT_EQ(200, answer.status) << answer.body;
}

void SimProcess::set_pd_mode(const std::string& mode) const {
  const auto answer = post("/sim/pd", R"({"mode": ")" + mode + R"("})");
  ASSERT_EQ(200, answer.status) << answer.body;
}

void SimProcess::set_pd_member_health(const std::string& name, bool healthy) const {
  const auto answer = post("/sim/pd/members/" + name,
                           std::string(R"({"health": )") + (healthy ? "true}" : "false}"));
  ASSERT_EQ(200, answer.status) << answer.body;
}

void SimProcess::set_pd_leader(const std::optional<std::string>& name) const {
  const auto answer = post("/sim/pd/leader", name ? R"({"name": ")" + *name + R"("})"
                                                  : std::string(R"({"name": null})"));
  ASSERT_EQ(200, answer.status) << answer.body;
}

std::uint64_t SimProcess::pd_requests() const {
  return parse_json(get("/sim/state").body).at("pd_requests").get<std::uint64_t>();
}

void inject_every_metric_fault(const SimProcess& sim) {
  sim.change_store(1, R"({"latency_metric": "idle", "disk_metric": "nan"})");
  sim.change_store(2, R"({"latency_metric": "missing", "disk_metric": "negative"})");
  sim.change_store(3, R"({"disk_metric": "zero_capacity"})");
  sim.change_store(4, R"({"disk_metric": "available_over_capacity"})");
  sim.change_store(5, R"({"disk_metric": "no_available"})");
  sim.change_store(6, R"({"disk_metric": "missing"})");
}

OrderedJson parse_json(const std::string& text) {
  auto json = OrderedJson::parse(text, nullptr, false);
  EXPECT_FALSE(json.is_discarded()) << "not JSON: " << text.substr(0, 300);
  return json;
}

OrderedJson read_fixture_json(const std::string& relative_path) {
  return parse_json(read_file(fixtures_dir() / relative_path));
}

std::optional<double> sample_value(const std::string& metrics, const std::string& series) {
  const std::string line_start = series + " ";
  for (size_t at = metrics.find(line_start); at != std::string::npos;
       at = metrics.find(line_start, at + 1)) {
    if (at != 0 && metrics[at - 1] != '\n') continue;  // a longer name ending alike
    const size_t value = at + line_start.size();
    const size_t end = metrics.find('\n', value);
    return std::stod(metrics.substr(value, end == std::string::npos ? end : end - value));
  }
  return std::nullopt;
}

std::optional<double> store_size(const std::string& metrics, const std::string& instance,
                                 const std::string& type) {
  return sample_value(metrics,
                      "tikv_store_size_bytes{instance=\"" + instance + "\",type=\"" + type + "\"}");
}

std::optional<double> kv_get_count(const std::string& metrics, const std::string& instance) {
  return sample_value(metrics, "tikv_grpc_msg_duration_seconds_count{instance=\"" + instance +
                                   "\",priority=\"unknown\",type=\"kv_get\"}");
}

}  // namespace opr::test
