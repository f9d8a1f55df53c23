// The Alertmanager receiver: each notification becomes one alert, POSTed
// to every configured Alertmanager's v2 API (POST /api/v2/alerts), as
// Prometheus sends alerts to an HA pair. A firing ticket's alert is sent
// again every resend_interval (the sender's repeats) with endsAt four
// intervals ahead, so Alertmanager neither forgets it nor keeps it once
// operator stops sending; a resolution carries endsAt = the resolution.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/time_format.h"
#include "config/config.h"
#include "notify/receiver.h"

namespace opr::notify {

// The alerts (a list of one) for a notification payload (the webhook's
// JSON, docs/notifications.md), or nullopt when it is not such JSON.
// Labels: the check's labels, then alertname (the check), target, subject,
// severity, pack, ticket_id. Annotations: the check's annotations, then
// summary (the message) and description. startsAt: the ticket's first
// sight; endsAt: its resolution (the end of its flapping, for a resolved
// ticket whose flapping ended), or `now` + 4 x `resend_interval` while it
// fires (a reopened ticket fires again).
std::optional<nlohmann::json> alertmanager_alerts(const std::string& payload, TimePoint now,
                                                  std::chrono::milliseconds resend_interval);

class AlertmanagerReceiver final : public Receiver {
 public:
  AlertmanagerReceiver(config::ReceiverConfig config, std::shared_ptr<const http::Client> http);
  // Delivered when every Alertmanager answered 2xx; otherwise the error
  // names those that did not, and all are tried again (Alertmanager takes
  // the same alert twice without harm).
  Delivery deliver(const tickets::Notification& notification) override;

 private:
  const config::ReceiverConfig config_;
  const std::shared_ptr<const http::Client> http_;
};

}  // namespace opr::notify
