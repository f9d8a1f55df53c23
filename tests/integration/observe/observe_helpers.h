// What this folder's tests share: a monitor with `http.listen` on a free
// loopback port, and reading its endpoints.
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

// The control pack's probe for target `name`, doing what harness.file(NAME
// + ".cmd") says (missing: ok).
inline std::string control_target(const HostHarness& harness, const std::string& name,
                                  const std::string& check_extra,
                                  const std::string& target_extra = "") {
  return "  - name: " + name + "\n    pack: control\n" + target_extra +
         "    checks:\n      probe: {command_file: " + harness.file(name + ".cmd").string() +
         check_extra + "}\n";
}

}  // namespace opr::test
