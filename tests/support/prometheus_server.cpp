#include "prometheus_server.h"

#include <signal.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "common/percent_encoding.h"

namespace opr::test {

namespace {

std::string base64(const std::string& text) {
  static constexpr char kDigits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < text.size(); i += 3) {
    uint32_t group = static_cast<uint32_t>(static_cast<unsigned char>(text[i])) << 16;
    if (i + 1 < text.size())
      group |= static_cast<uint32_t>(static_cast<unsigned char>(text[i + 1])) << 8;
    if (i + 2 < text.size()) group |= static_cast<unsigned char>(text[i + 2]);
    out += kDigits[(group >> 18) & 63];
    out += kDigits[(group >> 12) & 63];
    out += i + 1 < text.size() ? kDigits[(group >> 6) & 63] : '=';
    out += i + 2 < text.size() ? kDigits[group & 63] : '=';
  }
  return out;
}

}  // namespace

PrometheusServer::PrometheusServer(const std::vector<std::string>& targets,
                                   std::chrono::milliseconds scrape_interval)
    : PrometheusServer(targets, [&] {
        PrometheusOptions options;
        options.scrape_interval = scrape_interval;
        return options;
      }()) {}

PrometheusServer::PrometheusServer(const std::vector<std::string>& targets,
                                   const PrometheusOptions& options)
    : options_(options) {
  const std::chrono::milliseconds scrape_interval = options.scrape_interval;
  port_ = free_port();
  std::string target_list;
  for (const auto& t : targets) target_list += (target_list.empty() ? "'" : ", '") + t + "'";
  const std::string interval = std::to_string(scrape_interval.count()) + "ms";
  std::string rule_files;
  if (!options.rules.empty()) {
    write_file(dir_ / "rules.yml", options.rules);
    rule_files = "\nrule_files: ['" + (dir_ / "rules.yml").string() + "']";
  }
  const auto job = [&](const std::string& name, const std::string& metrics_path) {
    return "  - job_name: " + name + "\n    honor_labels: true\n    metrics_path: " + metrics_path +
           "\n    scrape_interval: " + interval + "\n    scrape_timeout: " + interval +
           "\n    static_configs:\n      - targets: [" + target_list + "]\n";
  };
  write_file(dir_ / "prometheus.yml", "global:\n  scrape_interval: " + interval +
                                          "\n  evaluation_interval: " + interval + rule_files +
                                          "\nscrape_configs:\n" + job("tikv", "/metrics") +
                                          (options.scrape_pd ? job("pd", "/pd/metrics") : ""));
  std::vector<std::string> argv = {
      "/usr/bin/prometheus", "--config.file=" + (dir_ / "prometheus.yml").string(),
      "--storage.tsdb.path=" + (dir_ / "data").string(),
      "--web.listen-address=127.0.0.1:" + std::to_string(port_), "--log.level=warn"};
  if (options.basic_auth) {
    // Quoted: a bcrypt hash starts with '$' and holds '/' and '.'.
    write_file(dir_ / "web.yml", "basic_auth_users:\n  " + options.basic_auth->username + ": '" +
                                     options.basic_auth->password_hash + "'\n");
    argv.push_back("--web.config.file=" + (dir_ / "web.yml").string());
  }
  if (!options.route_prefix.empty()) argv.push_back("--web.route-prefix=" + options.route_prefix);
  process_ = std::make_unique<Process>(argv);
}

PrometheusServer::~PrometheusServer() { stop(); }

std::string PrometheusServer::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + options_.route_prefix;
}

HttpResult PrometheusServer::get(const std::string& path, std::chrono::milliseconds timeout) const {
  HttpHeaders headers;
  if (const auto& auth = options_.basic_auth) {
    headers.emplace_back("Authorization", "Basic " + base64(auth->username + ":" + auth->password));
  }
  return http_request(port_, "GET", options_.route_prefix + path, "", timeout, headers);
}

bool PrometheusServer::wait_ready(std::chrono::milliseconds timeout) {
  return wait_until(
      [this] {
        return process_ && process_->running() &&
               get("/-/ready", std::chrono::seconds(2)).status == 200;
      },
      timeout, std::chrono::milliseconds(50));
}

void PrometheusServer::stop() {
  if (!process_) return;
  process_->signal(SIGTERM);
  if (!process_->wait(std::chrono::seconds(10))) process_->signal(SIGKILL);
  process_.reset();
}

std::vector<PromSample> PrometheusServer::query_samples(const std::string& promql,
                                                        std::optional<double> at) const {
  std::string path = "/api/v1/query?query=" + percent_encode(promql);
  if (at) path += "&time=" + std::to_string(*at);
  const HttpResult result = get(path);
  std::vector<PromSample> samples;
  if (result.status != 200) return samples;
  const auto body = nlohmann::json::parse(result.body, nullptr, false);
  if (body.is_discarded() || body.value("status", "") != "success") return samples;
  for (const auto& sample : body["data"]["result"]) {
    // std::stod reads Prometheus' NaN, +Inf and -Inf as they are.
    samples.push_back({sample["metric"], std::stod(sample["value"][1].get<std::string>())});
  }
  return samples;
}

std::map<std::string, double> PrometheusServer::query(const std::string& promql,
                                                      std::optional<double> at) const {
  std::map<std::string, double> values;
  for (const auto& [labels, value] : query_samples(promql, at)) {
    values[labels.value("instance", "")] = value;
  }
  return values;
}

}  // namespace opr::test
