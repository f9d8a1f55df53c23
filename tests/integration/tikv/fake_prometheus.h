// A stand-in Prometheus (tests/support's loopback server) for what a real
// one cannot do: show which headers, Authorization among them, each query
// arrived with, require a bearer token (Prometheus' web config knows only
// basic auth and TLS), and answer error statuses and malformed bodies on cue. Every test
// that uses it says which of these it needs.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "loopback_server.h"

namespace opr::test {

// Answers /api/v1/query as Prometheus would for tikv-sim's first 3 stores
// (p99 2 ms, disk 10 % used), unless told to answer `status` with `body`;
// requires `authorization` when set (401 otherwise).
class FakePrometheus {
 public:
  FakePrometheus();

  std::string url() const { return server_.url(""); }
  void require(std::string authorization);
  void answer(int status, std::string body);
  // The Authorization header of every query so far ("" when there was none).
  std::vector<std::string> seen_authorization();
  // The name of every header of every query so far, as they arrived.
  std::vector<std::string> seen_header_names();

 private:
  std::mutex mutex_;
  std::string authorization_;
  int status_ = 200;
  std::string body_;
  std::vector<std::string> seen_authorization_;
  std::vector<std::string> seen_header_names_;
  LoopbackServer server_;  // last: stopped before what its handler uses goes
};

}  // namespace opr::test
