#include "http/exchange.h"

#include <algorithm>
#include <utility>

#include "common/redaction.h"

namespace opr::http {

bool kept_header(const std::string& name) {
  static const std::vector<std::string> kept = {"content-type", "location",      "retry-after",
                                                "etag",         "last-modified", "cache-control"};
  if (std::find(kept.begin(), kept.end(), name) != kept.end()) return true;
  return name.starts_with("x-") && !is_secret_name(name) &&
         name.find("auth") == std::string::npos && name.find("key") == std::string::npos;
}

Exchange recorded_exchange(const Request& request, const Response& response, std::string body) {
  Exchange exchange;
  exchange.method = request.method;
  exchange.url = mask_passwords(request.url);
  if (!response.ok) {
    exchange.error = response.error;
    return exchange;
  }
  exchange.status = response.status;
  for (const auto& header : response.headers) {
    if (kept_header(header.first)) exchange.headers.push_back(header);
  }
  exchange.body = std::move(body);
  return exchange;
}

void ExchangeLog::add(Exchange exchange) {
  const std::lock_guard lock(mutex_);
  exchanges_.push_back(std::move(exchange));
}

std::vector<Exchange> ExchangeLog::take() {
  const std::lock_guard lock(mutex_);
  return std::exchange(exchanges_, {});
}

void ExchangeLog::give_up(std::string why) {
  const std::lock_guard lock(mutex_);
  if (!given_up_) given_up_ = std::move(why);
}

std::optional<std::string> ExchangeLog::given_up() {
  const std::lock_guard lock(mutex_);
  return given_up_;
}

}  // namespace opr::http
