// tikv-sim: one process that plays a TiKV cluster's PD API and its stores'
// /metrics, with fault injection over HTTP. See README.md.
#include <boost/program_options.hpp>

#include <csignal>
#include <iostream>
#include <string>
#include <thread>

#include <pthread.h>
#include <sys/socket.h>

#include "cluster.h"
#include "http_routes.h"
#include "latency_histogram.h"

namespace po = boost::program_options;

namespace {

constexpr std::size_t kMaxStores = 50'000;  // the address scheme's room

struct Listen {
  std::string host;
  int port = 0;
};

std::optional<Listen> parse_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  try {
    std::size_t used = 0;
    const int port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || port < 0 || port > 65535) return std::nullopt;
    return Listen{text.substr(0, colon), port};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

int main(int argc, char** argv) {
  opr::sim::ClusterOptions options;
  std::string listen_text;
  po::options_description desc("Usage: tikv-sim --stores N --listen HOST:PORT [options]");
  desc.add_options()("help,h", "show this help")(
      "stores", po::value<std::size_t>(&options.stores)->default_value(3),
      "number of TiKV stores (ids 1..N, N from 1 to 50000)")(
      "listen", po::value<std::string>(&listen_text)->default_value("127.0.0.1:0"),
      "address for every endpoint (port 0: any free port, printed when ready)")(
      "seed", po::value<std::uint64_t>(&options.seed)->default_value(1),
      "seed of every random choice (start times, store order, ids)")(
      "capacity", po::value<std::uint64_t>(&options.capacity_bytes)->default_value(1ULL << 40),
      "each store's disk capacity in bytes")(
      "disk-used-percent", po::value<double>(&options.disk_used_percent)->default_value(30),
      "each store's used share of its capacity")(
      "p99-ms", po::value<double>(&options.p99_ms)->default_value(5),
      "each store's p99 gRPC latency in milliseconds");
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "tikv-sim: " << e.what() << "\n";
    return 2;
  }
  const auto listen = parse_listen(listen_text);
  if (!listen) {
    std::cerr << "tikv-sim: --listen must be HOST:PORT, not \"" << listen_text << "\"\n";
    return 2;
  }
  if (options.stores < 1 || options.stores > kMaxStores) {
    std::cerr << "tikv-sim: --stores must be from 1 to " << kMaxStores << "\n";
    return 2;
  }
  if (!opr::sim::p99_expressible(options.p99_ms)) {
    std::cerr << "tikv-sim: --p99-ms must be above " << opr::sim::kMinP99Ms << " and at most "
              << opr::sim::kMaxP99Ms << "\n";
    return 2;
  }
  if (!(options.disk_used_percent >= 0 && options.disk_used_percent <= 100)) {
    std::cerr << "tikv-sim: --disk-used-percent must be from 0 to 100\n";
    return 2;
  }

  // Signals go to one thread that stops the server; block them everywhere
  // else before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  opr::sim::Cluster cluster(options);
  httplib::Server server;
  server.new_task_queue = [] { return new opr::sim::ThreadPerConnection(); };
  // An idle keep-alive connection (Prometheus keeps one) holds its thread,
  // and stopping waits for it: keep that wait short.
  server.set_keep_alive_timeout(2);
  // httplib sets SO_REUSEPORT, which would let a second simulator share the
  // port and take half the requests; a taken port must be an error.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  opr::sim::add_routes(server, cluster);

  int port = listen->port;
  if (port == 0) {
    port = server.bind_to_any_port(listen->host);
    if (port <= 0) {
      std::cerr << "tikv-sim: cannot listen on " << listen->host << "\n";
      return 1;
    }
  } else if (!server.bind_to_port(listen->host, port)) {
    std::cerr << "tikv-sim: cannot listen on " << listen_text << "\n";
    return 1;
  }

  std::thread signal_thread([&] {
    int signo = 0;
    sigwait(&signals, &signo);
    cluster.stop();
    server.stop();
  });

  std::cout << "tikv-sim listening on " << listen->host << ":" << port << " with " << options.stores
            << " stores" << std::endl;
  const bool clean = server.listen_after_bind();
  if (!clean && !cluster.stopping()) {
    // The server failed on its own: wake the signal thread so it can end.
    std::cerr << "tikv-sim: the server stopped unexpectedly\n";
    pthread_kill(signal_thread.native_handle(), SIGTERM);
  }
  signal_thread.join();
  std::cerr << "tikv-sim: stopped\n";
  return clean || cluster.stopping() ? 0 : 1;
}
