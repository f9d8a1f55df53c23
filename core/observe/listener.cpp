#include "observe/listener.h"

#include <httplib.h>
#include <netdb.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "config/listen_address.h"
#include "observe/exposition.h"

namespace opr::observe {

namespace {

constexpr const char* kPlainText = "text/plain; charset=utf-8";

// Threads answering requests: a scrape, a readiness probe and a reload
// that waits for the engine can all be in at once.
constexpr size_t kThreads = 4;

// Why binding `address` fails, as the kernel says it ("Address already in
// use"): httplib only says that it did.
std::string bind_error(const config::ListenAddress& address, const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const int status =
      getaddrinfo(host.c_str(), std::to_string(address.port).c_str(), &hints, &found);
  if (status != 0) return std::string("cannot resolve the host: ") + gai_strerror(status);
  std::string error = "cannot bind the address";
  for (addrinfo* at = found; at != nullptr; at = at->ai_next) {
    const int sock = ::socket(at->ai_family, at->ai_socktype, at->ai_protocol);
    if (sock < 0) {
      error = std::strerror(errno);
      continue;
    }
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    const bool bound = ::bind(sock, at->ai_addr, at->ai_addrlen) == 0;
    if (!bound) error = std::strerror(errno);
    ::close(sock);
    if (bound) break;
  }
  freeaddrinfo(found);
  return error;
}

void answer_text(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, kPlainText);
}

}  // namespace

Listener::Listener(const config::ListenAddress& address)
    : server_(std::make_unique<httplib::Server>()) {
  const std::string host = address.host.empty() ? "0.0.0.0" : address.host;
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, with which a
  // second process could share the port instead of being refused.
  server_->set_socket_options([](socket_t sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server_->new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  // An idle kept-alive connection holds stop() up for this long.
  server_->set_keep_alive_timeout(1);
  server_->set_read_timeout(10);
  server_->set_write_timeout(10);
  if (!server_->bind_to_port(host, address.port)) {
    throw ListenError("cannot listen on " + config::to_string(address) +
                      " (http.listen): " + bind_error(address, host) +
                      "; free the port or choose another 'listen' address");
  }
}

Listener::~Listener() { stop(); }

void Listener::serve(Endpoints endpoints) {
  auto shared = std::make_shared<const Endpoints>(std::move(endpoints));
  server_->Get("/metrics", [shared](const httplib::Request&, httplib::Response& res) {
    try {
      res.set_content(shared->metrics(), kExpositionType);
    } catch (const std::exception& e) {
      answer_text(res, 500, std::string("cannot render the metrics: ") + e.what() + "\n");
    }
  });
  server_->Get("/-/healthy", [](const httplib::Request&, httplib::Response& res) {
    answer_text(res, 200, "operator is healthy.\n");
  });
  server_->Get("/-/ready", [shared](const httplib::Request&, httplib::Response& res) {
    const std::vector<std::string> reasons = shared->unready();
    if (reasons.empty()) {
      answer_text(res, 200, "operator is ready.\n");
      return;
    }
    std::string body = "operator is not ready:\n";
    for (const auto& reason : reasons) body += reason + "\n";
    answer_text(res, 503, body);
  });
  server_->Post("/-/reload", [shared](const httplib::Request&, httplib::Response& res) {
    spdlog::info("reload requested over HTTP (POST /-/reload)");
    if (const auto error = shared->reload()) {
      answer_text(res, 500,
                  "config reload failed; the running config stays in effect: " + *error + "\n");
    } else {
      answer_text(res, 200, "config reloaded.\n");
    }
  });
  server_->Post("/-/record", [shared](const httplib::Request&, httplib::Response& res) {
    spdlog::info("recording requested over HTTP (POST /-/record)");
    try {
      const Answer answer = shared->record();
      answer_text(res, answer.status, answer.text + "\n");
    } catch (const std::exception& e) {
      answer_text(res, 500, std::string("cannot record: ") + e.what() + "\n");
    }
  });
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    returned_ = true;
  });
  // httplib's stop() does nothing before the server runs: wait until it
  // does (or gave up), so a stop() right after this one is never lost.
  while (!server_->is_running() && !returned_) std::this_thread::yield();
}

void Listener::stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

}  // namespace opr::observe
