#include "notify/alertmanager.h"

#include <utility>

#include "http/client.h"

namespace opr::notify {

namespace {

std::string text_of(const nlohmann::json& json, const char* key) {
  const auto found = json.find(key);
  return found != json.end() && found->is_string() ? found->get<std::string>() : "";
}

// "http://am:9093/" -> "http://am:9093/api/v2/alerts".
std::string alerts_url(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/api/v2/alerts";
}

}  // namespace

std::optional<nlohmann::json> alertmanager_alerts(const std::string& payload, TimePoint now,
                                                  std::chrono::milliseconds resend_interval) {
  const nlohmann::json body = nlohmann::json::parse(payload, nullptr, false);
  if (!body.is_object() || !body.contains("ticket") || !body["ticket"].is_object()) {
    return std::nullopt;
  }
  const nlohmann::json& ticket = body["ticket"];
  const nlohmann::json event = body.value("event", nlohmann::json::object());
  nlohmann::json labels = body.value("labels", nlohmann::json::object());
  labels["alertname"] = text_of(ticket, "check");
  labels["target"] = text_of(ticket, "target");
  labels["severity"] = text_of(ticket, "severity");
  if (const std::string subject = text_of(ticket, "subject"); !subject.empty()) {
    labels["subject"] = subject;
  }
  if (const std::string pack = text_of(body, "pack"); !pack.empty()) labels["pack"] = pack;
  if (ticket.contains("id")) labels["ticket_id"] = ticket["id"].dump();

  nlohmann::json annotations = body.value("annotations", nlohmann::json::object());
  annotations["summary"] = text_of(ticket, "message");
  std::string description = "ticket " + (ticket.contains("id") ? ticket["id"].dump() : "?") + " (" +
                            text_of(ticket, "violation_key") + ") is " + text_of(ticket, "status");
  if (const std::string diagnosis = text_of(ticket, "diagnosis"); !diagnosis.empty()) {
    description += "; diagnosis: " + diagnosis;
  }
  annotations["description"] = description;

  nlohmann::json alert = nlohmann::json::object();
  alert["labels"] = std::move(labels);
  alert["annotations"] = std::move(annotations);
  alert["startsAt"] = text_of(ticket, "first_seen_at");
  const std::string kind = text_of(event, "kind");
  std::string ends = format_utc(now + 4 * resend_interval);
  if (const std::string resolved = text_of(ticket, "resolved_at"); !resolved.empty()) {
    // While it flapped the alert kept firing (its resolves told nobody):
    // it ends when the flapping does. A ticket whose flapping ends while
    // it is open (steadily failing) fires on.
    ends = kind == "flapping_stopped" ? text_of(event, "at") : resolved;
  }
  alert["endsAt"] = ends;
  return nlohmann::json::array({alert});
}

AlertmanagerReceiver::AlertmanagerReceiver(config::ReceiverConfig config,
                                           std::shared_ptr<const http::Client> http)
    : config_(std::move(config)), http_(std::move(http)) {}

Delivery AlertmanagerReceiver::deliver(const tickets::Notification& notification) {
  const auto alerts = alertmanager_alerts(notification.payload, now_ms(), config_.resend_interval);
  if (!alerts) return {false, "the notification's payload is not operator's JSON"};
  http::Request request;
  request.method = "POST";
  request.body = alerts->dump();
  request.timeout = config_.timeout;
  request.headers = {{"Content-Type", "application/json"}};
  std::string failures;
  for (const std::string& url : config_.urls) {
    request.url = alerts_url(url);
    const http::Response response = http_->perform(request);
    std::string failure;
    if (!response.ok) {
      failure = response.error;
    } else if (response.status < 200 || response.status > 299) {
      failure = "answered HTTP " + std::to_string(response.status);
    }
    if (!failure.empty()) failures += (failures.empty() ? "" : "; ") + url + ": " + failure;
  }
  if (!failures.empty()) return {false, failures};
  return {true, ""};
}

}  // namespace opr::notify
