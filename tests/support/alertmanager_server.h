// opr_test_cluster: a real Alertmanager (Debian's prometheus-alertmanager)
// as a child process, routing every alert to one webhook.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "test_support.h"

namespace opr::test {

// /usr/bin/prometheus-alertmanager on a free loopback port, alone (no
// cluster: --cluster.listen-address=), storage in a temp folder, with one
// route: every alert, grouped by alertname, target and subject, to
// `webhook_url` (resolutions too) after `group_wait`, again every
// `group_interval`. Stopped on destruction.
class AlertmanagerServer {
 public:
  AlertmanagerServer(const std::string& webhook_url,
                     std::chrono::milliseconds group_wait = std::chrono::milliseconds(100),
                     std::chrono::milliseconds group_interval = std::chrono::seconds(1));
  ~AlertmanagerServer();
  AlertmanagerServer(const AlertmanagerServer&) = delete;
  AlertmanagerServer& operator=(const AlertmanagerServer&) = delete;

  std::string url() const;  // http://127.0.0.1:PORT
  // Waits until /-/ready answers 200.
  bool wait_ready(std::chrono::milliseconds timeout);
  // GET /api/v2/alerts: the alerts Alertmanager holds (an empty array when
  // it did not answer).
  nlohmann::json alerts() const;
  void stop();

 private:
  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<Process> process_;
};

}  // namespace opr::test
