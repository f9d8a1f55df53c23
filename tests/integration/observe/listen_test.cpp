// A bad `http.listen` is an error at start, before anything runs: a port
// that is taken (the kernel's reason), or an address that does not parse
// (file, line and column, as every config error); `config check` refuses
// the latter too. Without `http`, nothing listens.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "observe_helpers.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

// A socket listening on 127.0.0.1:port for as long as it lives.
class TakenPort {
 public:
  TakenPort() : port_(free_port()) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port_));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(fd_, 1), 0);
  }
  ~TakenPort() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int port_;
  int fd_ = -1;
};

std::string probe_target(const HostHarness& harness) {
  return "targets:\n" + control_target(harness, "a", ", interval: 1h");
}

TEST(HttpListen, APortInUseFailsTheStartWithTheKernelsReason) {
  TakenPort taken;
  HostHarness harness;
  harness.write_config(http_listen(taken.port()) + probe_target(harness));
  auto host = harness.start();
  ASSERT_EQ(host->wait(30s), 1) << host->err();
  EXPECT_TRUE(contains(host->err(),
                       "operator-host: cannot listen on 127.0.0.1:" + std::to_string(taken.port()) +
                           " (http.listen): Address already in use; free the port "
                           "or choose another 'listen' address"))
      << host->err();
  EXPECT_FALSE(contains(host->err(), "monitoring ")) << host->err();
}

TEST(HttpListen, AnAddressThatDoesNotParseFailsTheStartAndConfigCheck) {
  HostHarness harness;
  harness.write_config("http:\n  listen: 127.0.0.1\n" + probe_target(harness));
  const std::string error = harness.config_path().string() +
                            ":4:11: bad 'listen' in 'http', '127.0.0.1': the port is missing: "
                            "write HOST:PORT, e.g. 127.0.0.1:9464";
  auto host = harness.start();
  ASSERT_EQ(host->wait(30s), 1) << host->err();
  EXPECT_TRUE(contains(host->err(), error)) << host->err();
  const CommandResult check = harness.run({"config", "check"});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  EXPECT_TRUE(contains(check.err, error)) << check.err;
}

TEST(HttpListen, ConfigCheckShowsTheListener) {
  HostHarness harness;
  harness.write_config("http: {listen: '[::1]:9464'}\n" + probe_target(harness));
  const CommandResult check = harness.run({"config", "check"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_TRUE(contains(check.out,
                       ": valid; 1 target, 1 of 1 checks enabled, /metrics and health "
                       "on [::1]:9464\n"))
      << check.out;
}

TEST(HttpListen, OnceListensOnNothing) {
  // A --once next to a running monitor must not fight it for the port.
  TakenPort taken;
  HostHarness harness;
  harness.write_config(http_listen(taken.port()) + probe_target(harness));
  const CommandResult once = harness.run_once();
  EXPECT_EQ(once.exit_code, 0) << once.out << once.err;
}

}  // namespace
}  // namespace opr::test
