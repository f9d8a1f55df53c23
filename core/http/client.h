// The host's HTTP client: libcurl with the host's timeouts, response-size cap
// and TLS verification, shared by every pack instance. It never throws;
// transport failures come back as text in Response::error.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace opr::http {

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  // Used when a request gives no timeout of its own.
  std::chrono::milliseconds default_timeout{30000};
  size_t max_response_bytes = 64u * 1024 * 1024;
  std::string user_agent = "operator-host";
};

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{0};  // 0: ClientOptions::default_timeout
  // The request ends by this time at the latest, whatever `timeout` says.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // When set and true, the transfer stops at the next progress tick (~1 s at
  // worst, usually far sooner). Must outlive the call.
  const std::atomic<bool>* cancelled = nullptr;
  // Bytes the caller will append to the body (the host's padding): reserved
  // with the body when Content-Length is known, so appending them does not
  // reallocate a large body.
  size_t body_spare = 0;
};

struct Response {
  bool ok = false;  // a response arrived (any status)
  int status = 0;
  Headers headers;  // names in lower case, in arrival order
  std::string body;
  std::string error;  // why !ok, for humans
  std::chrono::milliseconds elapsed{0};
};

// Thread-safe: perform() may be called from many threads at once.
class Client {
 public:
  explicit Client(ClientOptions options = {});

  Response perform(const Request& request) const noexcept;

  const ClientOptions& options() const { return options_; }

 private:
  ClientOptions options_;
};

}  // namespace opr::http
