// The webhook receiver: POSTs the notification's JSON payload to a URL
// (docs/notifications.md describes the body and its headers).
#pragma once

#include <memory>

#include "config/config.h"
#include "notify/receiver.h"

namespace opr::notify {

// Headers sent: Content-Type: application/json, User-Agent,
// X-Operator-Notification-Id (the payload's notification_id), the
// configured ones, Authorization: Bearer <bearer_token_file> and
// X-Operator-Signature: sha256=<HMAC-SHA256 of the body keyed with
// secret_file> when those are set. Both files are read at each delivery
// (trailing white space dropped), so they may be rotated in place. Any 2xx
// answer is a delivery.
class WebhookReceiver final : public Receiver {
 public:
  WebhookReceiver(config::ReceiverConfig config, std::shared_ptr<const http::Client> http);
  Delivery deliver(const tickets::Notification& notification) override;

 private:
  const config::ReceiverConfig config_;
  const std::shared_ptr<const http::Client> http_;
};

}  // namespace opr::notify
