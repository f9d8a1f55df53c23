// Every endpoint of the simulator on one httplib::Server: PD's API, the
// stores' /metrics and the /sim control API.
#pragma once

#include <httplib.h>

#include "cluster.h"

namespace opr::sim {

// Registers the routes; `cluster` must outlive the server.
void add_routes(httplib::Server& server, Cluster& cluster);

// One thread per connection: a PD request held by the "hang" mode must not
// keep /metrics or /sim waiting, however many of them pile up.
class ThreadPerConnection : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override;
  void shutdown() override;  // waits for running connections to finish

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  std::size_t running_ = 0;
};

}  // namespace opr::sim
