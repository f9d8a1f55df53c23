// The monitor's own HTTP listener, as Prometheus and Alertmanager serve
// theirs: GET /metrics, GET /-/healthy, GET /-/ready, POST /-/reload, and
// POST /-/record (the next run of every check as `plugins test` files).
// Unauthenticated and unencrypted: bind it to loopback or a trusted
// network only.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"

namespace httplib {
class Server;
}

namespace opr::observe {

// The address cannot be listened on: "cannot listen on 127.0.0.1:9464
// (http.listen): Address already in use; ...".
class ListenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An endpoint's answer: its HTTP status and a line of text.
struct Answer {
  int status = 200;
  std::string text;
};

// What the endpoints answer with; each is called on a listener thread.
struct Endpoints {
  // GET /metrics: the exposition (observe/exposition.h).
  std::function<std::string()> metrics;
  // GET /-/ready: why the monitor is not ready, one reason each; empty: ready.
  std::function<std::vector<std::string>()> unready;
  // POST /-/reload: what SIGHUP does, waited for: nullopt when the new
  // config took, else why not (the running config stays).
  std::function<std::optional<std::string>()> reload;
  // POST /-/record: starts recording the next run of every check into a
  // folder the config names (never one the caller gives), and says where.
  std::function<Answer()> record;
};

class Listener {
 public:
  // Binds `address` at once (so a taken port is an error at start). Throws
  // ListenError.
  explicit Listener(const config::ListenAddress& address);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Answers requests with `endpoints` on threads of its own until stop().
  void serve(Endpoints endpoints);
  // Stops answering and joins; idempotent.
  void stop();

 private:
  std::unique_ptr<httplib::Server> server_;
  std::atomic<bool> returned_{false};  // listen_after_bind() returned
  std::thread thread_;
};

}  // namespace opr::observe
