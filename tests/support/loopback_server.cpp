#include "loopback_server.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace opr::test {

LoopbackServer::LoopbackServer() { server_.set_keep_alive_timeout(1); }

LoopbackServer::~LoopbackServer() { stop(); }

void LoopbackServer::start() {
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  wait_until([this] { return server_.is_running(); }, std::chrono::seconds(10));
}

void LoopbackServer::stop() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string LoopbackServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::string patterned_body(size_t size) {
  std::string body(size, '\0');
  uint32_t x = 12345;
  for (auto& c : body) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>('a' + (x >> 16) % 26);
  }
  return body;
}

void send_chunked(httplib::Response& res, const std::string& body, size_t chunk) {
  res.set_chunked_content_provider(
      "application/octet-stream", [&body, chunk](size_t, httplib::DataSink& sink) {
        for (size_t at = 0; at < body.size(); at += chunk) {
          sink.write(body.data() + at, std::min(chunk, body.size() - at));
        }
        sink.done();
        return true;
      });
}

void send_then_stall(httplib::Response& res, const std::string& first, Gate& gate,
                     std::atomic<bool>* sent) {
  res.set_chunked_content_provider("application/octet-stream",
                                   [first, &gate, sent](size_t, httplib::DataSink& sink) {
                                     sink.write(first.data(), first.size());
                                     if (sent != nullptr) *sent = true;
                                     gate.wait();
                                     sink.done();
                                     return true;
                                   });
}

}  // namespace opr::test
