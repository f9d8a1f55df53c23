#include "alertmanager_server.h"

#include <signal.h>

#include <vector>

namespace opr::test {

namespace {

std::string ms(std::chrono::milliseconds duration) {
  return std::to_string(duration.count()) + "ms";
}

}  // namespace

AlertmanagerServer::AlertmanagerServer(const std::string& webhook_url,
                                       std::chrono::milliseconds group_wait,
                                       std::chrono::milliseconds group_interval) {
  port_ = free_port();
  write_file(dir_ / "alertmanager.yml",
             "route:\n"
             "  receiver: test\n"
             "  group_by: [alertname, target, subject]\n"
             "  group_wait: " +
                 ms(group_wait) +
                 "\n"
                 "  group_interval: " +
                 ms(group_interval) +
                 "\n"
                 "  repeat_interval: 1h\n"
                 "receivers:\n"
                 "  - name: test\n"
                 "    webhook_configs:\n"
                 "      - url: '" +
                 webhook_url +
                 "'\n"
                 "        send_resolved: true\n");
  process_ = std::make_unique<Process>(std::vector<std::string>{
      "/usr/bin/prometheus-alertmanager", "--config.file=" + (dir_ / "alertmanager.yml").string(),
      "--storage.path=" + (dir_ / "data").string(),
      "--web.listen-address=127.0.0.1:" + std::to_string(port_),
      "--cluster.listen-address=", "--log.level=warn"});
}

AlertmanagerServer::~AlertmanagerServer() { stop(); }

std::string AlertmanagerServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

bool AlertmanagerServer::wait_ready(std::chrono::milliseconds timeout) {
  return wait_until(
      [this] {
        return process_ && process_->running() &&
               http_request(port_, "GET", "/-/ready", "", std::chrono::seconds(2)).status == 200;
      },
      timeout, std::chrono::milliseconds(50));
}

nlohmann::json AlertmanagerServer::alerts() const {
  const HttpResult result =
      http_request(port_, "GET", "/api/v2/alerts", "", std::chrono::seconds(10));
  auto body = nlohmann::json::parse(result.body, nullptr, false);
  if (result.status != 200 || !body.is_array()) return nlohmann::json::array();
  return body;
}

void AlertmanagerServer::stop() {
  if (!process_) return;
  process_->signal(SIGTERM);
  if (!process_->wait(std::chrono::seconds(10))) process_->signal(SIGKILL);
  process_.reset();
}

}  // namespace opr::test
