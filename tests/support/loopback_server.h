// opr_test_loopback: a real HTTP server (cpp-httplib) inside the test
// process, on a free loopback port, for tests of the host's HTTP client, of
// packs that make requests, and for stand-ins of servers that cannot be made
// to misbehave on cue (a PD without stores, a Prometheus checking bearer
// tokens). Register handlers on server(), then start().
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <string>
#include <thread>

#include "test_support.h"

namespace opr::test {

class LoopbackServer {
 public:
  // The host's client keeps connections alive, and stop() waits for each
  // idle one to time out: 1 s instead of httplib's 5 keeps tests quick.
  LoopbackServer();
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  httplib::Server& server() { return server_; }

  // Binds to a free port on 127.0.0.1 and serves on a thread of its own
  // until stop(). Call after registering handlers.
  void start();
  // Stops serving and joins the thread (also done on destruction). A class
  // whose handlers use its other members declares the server last, so it
  // stops before they go.
  void stop();
  int port() const { return port_; }
  // http://127.0.0.1:PORT followed by `path` ("" for the bare base URL).
  std::string url(const std::string& path) const;

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

// A body whose every byte matters, so a lost, doubled or reordered piece of
// it shows.
std::string patterned_body(size_t size);

// Answers with `body` (which must outlive the response) in chunks of
// `chunk` bytes, with Transfer-Encoding: chunked. Not a compressible content
// type, so httplib sends it as it is.
void send_chunked(httplib::Response& res, const std::string& body, size_t chunk);

// Sends `first` as one chunk, sets `*sent` when given, then holds the rest
// of the body until `gate` opens: a server that stalls mid-body.
void send_then_stall(httplib::Response& res, const std::string& first, Gate& gate,
                     std::atomic<bool>* sent = nullptr);

}  // namespace opr::test
