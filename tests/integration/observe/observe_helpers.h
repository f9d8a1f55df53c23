// What this folder's tests share: a monitor with `http.listen` on a free
// loopback port (its targets from control_target(), host_harness.h).
#pragma once

#include <chrono>
#include <string>

#include "host_harness.h"
#include "test_support.h"

namespace opr::test {

// `http:` config lines for a listener on 127.0.0.1:`port`.
inline std::string http_listen(int port) {
  return "http: {listen: '127.0.0.1:" + std::to_string(port) + "'}\n";
}

}  // namespace opr::test
