// The host's HTTP client: libcurl with the host's timeouts, response-size cap
// and TLS verification, shared by every pack instance. It never throws;
// transport failures come back as text in Response::error.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opr::http {

struct Request;
struct Response;

// Answers a request without the network: `plugins test` serves a pack the
// answers its test file holds, and says which request it did not expect.
using Transport = std::function<Response(const Request&)>;

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  // Used when a request gives no timeout of its own.
  std::chrono::milliseconds default_timeout{30000};
  size_t max_response_bytes = 64u * 1024 * 1024;
  std::string user_agent = "operator-host";
  // When set, every request goes here instead of libcurl; a 2xx body is
  // still handed to Request::on_body when the request streams. Must be
  // thread-safe, as perform() is.
  Transport transport;
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
  // When set, a 2xx body is handed here piece by piece as it arrives and is
  // not kept (Response::body stays empty); any other status keeps its body
  // as usual and never calls it. Called on the calling thread, pieces in
  // order, never empty. Returning false stops the transfer: the response is
  // then !ok with "the pack stopped reading the body". A throw stops it too,
  // with the exception's text. The streamed bytes count towards
  // ClientOptions::max_response_bytes.
  std::function<bool(std::string_view)> on_body;
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
