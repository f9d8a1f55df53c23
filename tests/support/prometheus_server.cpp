#include "prometheus_server.h"

#include <signal.h>

#include <cctype>
#include <cstdio>
#include <string>

namespace opr::test {

namespace {

// `text` with every byte but A-Z a-z 0-9 - . _ ~ as %XX, for a query string.
std::string percent_encode(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", byte);
      out += hex;
    }
  }
  return out;
}

}  // namespace

PrometheusServer::PrometheusServer(const std::vector<std::string>& targets,
                                   std::chrono::milliseconds scrape_interval) {
  port_ = free_port();
  std::string target_list;
  for (const auto& t : targets) target_list += (target_list.empty() ? "'" : ", '") + t + "'";
  const std::string interval = std::to_string(scrape_interval.count()) + "ms";
  write_file(dir_ / "prometheus.yml",
             "global:\n  scrape_interval: " + interval + "\n  evaluation_interval: " + interval +
                 "\nscrape_configs:\n  - job_name: tikv\n    honor_labels: true\n"
                 "    scrape_interval: " +
                 interval + "\n    scrape_timeout: " + interval +
                 "\n    static_configs:\n      - targets: [" + target_list + "]\n");
  process_ = std::make_unique<Process>(std::vector<std::string>{
      "/usr/bin/prometheus", "--config.file=" + (dir_ / "prometheus.yml").string(),
      "--storage.tsdb.path=" + (dir_ / "data").string(),
      "--web.listen-address=127.0.0.1:" + std::to_string(port_), "--log.level=warn"});
}

PrometheusServer::~PrometheusServer() { stop(); }

std::string PrometheusServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

bool PrometheusServer::wait_ready(std::chrono::milliseconds timeout) {
  return wait_until(
      [this] {
        return process_ && process_->running() &&
               http_request(port_, "GET", "/-/ready", "", std::chrono::seconds(2)).status == 200;
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
  const HttpResult result = http_request(port_, "GET", path);
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
