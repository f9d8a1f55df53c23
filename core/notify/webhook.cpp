#include "notify/webhook.h"

#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "http/client.h"
#include "notify/signature.h"

namespace opr::notify {

namespace {

// A secret file's content without trailing white space; nullopt when it
// cannot be read or is empty.
std::optional<std::string> read_secret(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  const size_t end = text.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return std::nullopt;
  text.resize(end + 1);
  return text;
}

}  // namespace

WebhookReceiver::WebhookReceiver(config::ReceiverConfig config,
                                 std::shared_ptr<const http::Client> http)
    : config_(std::move(config)), http_(std::move(http)) {}

Delivery WebhookReceiver::deliver(const tickets::Notification& notification) {
  http::Request request;
  request.method = "POST";
  request.url = config_.urls.at(0);
  request.body = notification.payload;
  request.timeout = config_.timeout;
  request.headers = {{"Content-Type", "application/json"},
                     {"X-Operator-Notification-Id", notification.uid}};
  for (const auto& header : config_.headers) request.headers.push_back(header);
  if (config_.bearer_token_file) {
    const auto token = read_secret(*config_.bearer_token_file);
    if (!token) {
      return {false, "cannot read a token from " + config_.bearer_token_file->string()};
    }
    request.headers.emplace_back("Authorization", "Bearer " + *token);
  }
  if (config_.secret_file) {
    const auto secret = read_secret(*config_.secret_file);
    if (!secret) return {false, "cannot read a secret from " + config_.secret_file->string()};
    request.headers.emplace_back("X-Operator-Signature", signature_header(*secret, request.body));
  }
  const http::Response response = http_->perform(request);
  if (!response.ok) return {false, response.error};
  if (response.status < 200 || response.status > 299) {
    return {false, "answered HTTP " + std::to_string(response.status)};
  }
  return {true, ""};
}

}  // namespace opr::notify
