// A real cpp-httplib server on a free loopback port, for tests of the host's
// HTTP client and of packs that make requests.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>

#include "test_support.h"

namespace opr::test {

// A body whose every byte matters, so a lost, doubled or reordered piece of
// it shows.
inline std::string patterned_body(size_t size) {
  std::string body(size, '\0');
  uint32_t x = 12345;
  for (auto& c : body) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>('a' + (x >> 16) % 26);
  }
  return body;
}

// Answers with `body` (which must outlive the response) in chunks of
// `chunk` bytes, with Transfer-Encoding: chunked. Not a compressible content
// type, so httplib sends it as it is.
inline void send_chunked(httplib::Response& res, const std::string& body, size_t chunk) {
  res.set_chunked_content_provider(
      "application/octet-stream", [&body, chunk](size_t, httplib::DataSink& sink) {
        for (size_t at = 0; at < body.size(); at += chunk) {
          sink.write(body.data() + at, std::min(chunk, body.size() - at));
        }
        sink.done();
        return true;
      });
}

// Sends `first` as one chunk, sets `*sent` when given, then holds the rest
// of the body until `gate` opens: a server that stalls mid-body.
inline void send_then_stall(httplib::Response& res, const std::string& first, Gate& gate,
                            std::atomic<bool>* sent = nullptr) {
  res.set_chunked_content_provider("application/octet-stream",
                                   [first, &gate, sent](size_t, httplib::DataSink& sink) {
                                     sink.write(first.data(), first.size());
                                     if (sent != nullptr) *sent = true;
                                     gate.wait();
                                     sink.done();
                                     return true;
                                   });
}

class LoopbackServer {
 public:
  // The host's client keeps connections alive, and stop() waits for each
  // idle one to time out: 1 s instead of httplib's 5 keeps tests quick.
  LoopbackServer() { server_.set_keep_alive_timeout(1); }
  ~LoopbackServer() { stop(); }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  httplib::Server& server() { return server_; }

  // Call after registering handlers.
  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    wait_until([this] { return server_.is_running(); }, std::chrono::seconds(10));
  }
  void stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace opr::test
