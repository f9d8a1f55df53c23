// The C example pack `tcp` (plugins/example-c) through the real host: its
// check ports_open against a port this test listens on and one that is
// bound but not listening (so nothing else can take it, and a connect is
// refused), and the mistakes a user can make in its config.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "host_harness.h"

namespace opr::test {
namespace {

// A socket on 127.0.0.1 at a port of the kernel's choosing, closed on
// destruction:
//   closed     bound but not listening: a connect is refused
//   open       listening (the kernel completes handshakes without accept)
//   silent     listening with a full accept queue: Linux drops new SYNs, so
//              a connect gets no answer at all, like a firewalled port
class LoopbackSocket {
 public:
  enum Kind { closed, open, silent };

  explicit LoopbackSocket(Kind kind) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) throw std::runtime_error("socket failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        (kind != closed && ::listen(fd_, kind == silent ? 0 : 16) != 0) ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ::close(fd_);
      throw std::runtime_error("bind or listen failed");
    }
    port_ = ntohs(addr.sin_port);
    if (kind == silent) {
      // One connection, never accepted, fills a backlog of 0.
      filler_ = ::socket(AF_INET, SOCK_STREAM, 0);
      if (filler_ < 0 || ::connect(filler_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        throw std::runtime_error("could not fill the accept queue");
      }
    }
  }
  ~LoopbackSocket() {
    if (filler_ >= 0) ::close(filler_);
    ::close(fd_);
  }
  LoopbackSocket(const LoopbackSocket&) = delete;
  LoopbackSocket& operator=(const LoopbackSocket&) = delete;

  std::string port() const { return std::to_string(port_); }

 private:
  int fd_;
  int filler_ = -1;
  int port_ = 0;
};

class TcpPack : public ::testing::Test {
 protected:
  // A target `db` on `host` whose ports_open check has `check` inside its
  // flow mapping.
  void configure(const std::string& check, const std::string& host = "127.0.0.1") {
    harness_.write_config("targets:\n  - name: db\n    pack: tcp\n    host: '" + host +
                          "'\n    checks:\n      ports_open: {grace: 0s, " + check + "}\n");
  }

  HostHarness harness_{{packs_dir() / "tcp.so"}};
  LoopbackSocket open_{LoopbackSocket::open};
  LoopbackSocket closed_{LoopbackSocket::closed};
};

TEST_F(TcpPack, AClosedPortIsAViolationAndAnOpenOneIsNot) {
  configure("ports: [" + open_.port() + ", " + closed_.port() + "]");
  const auto result = harness_.run_once();
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;  // the check's severity: critical
  EXPECT_TRUE(contains(result.out, "VIOLATION db/ports_open: " + closed_.port() + ": 127.0.0.1:" +
                                       closed_.port() + " is closed: Connection refused"))
      << result.out;
  EXPECT_FALSE(contains(result.out, "db/ports_open: " + open_.port() + ":")) << result.out;

  const auto ticket = harness_.cli_ticket("ports_open", closed_.port());
  ASSERT_TRUE(ticket.has_value()) << result.out << result.err;
  EXPECT_EQ((*ticket)["severity"], "critical");
  EXPECT_FALSE(harness_.cli_ticket("ports_open", open_.port()).has_value());
}

TEST_F(TcpPack, EveryPortOpenPasses) {
  LoopbackSocket other{LoopbackSocket::open};
  configure("ports: ['" + open_.port() + "', '" + other.port() + "']");
  const auto result = harness_.run_once();
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "OK db/ports_open (")) << result.out;
}

TEST_F(TcpPack, APortThatDoesNotAnswerIsAViolationAtTheConnectTimeout) {
  LoopbackSocket silent{LoopbackSocket::silent};
  configure("ports: [" + open_.port() + ", " + silent.port() + "], connect_timeout: 300ms");
  const auto result = harness_.run_once();
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "VIOLATION db/ports_open: " + silent.port() + ": 127.0.0.1:" +
                                       silent.port() + " did not accept a connection within 300ms"))
      << result.out;
  EXPECT_FALSE(contains(result.out, "db/ports_open: " + open_.port() + ":")) << result.out;
}

// A connect_timeout longer than the check's timeout: the run notices its
// deadline (run_cancelled) and fails then, not a minute later.
TEST_F(TcpPack, TheRunsDeadlineCutsALongConnectTimeout) {
  LoopbackSocket silent{LoopbackSocket::silent};
  configure("ports: [" + silent.port() + "], connect_timeout: 1m, timeout: 500ms");
  const auto start = std::chrono::steady_clock::now();
  const auto result = harness_.run_once();
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "FAILED db/ports_open: ")) << result.out;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20)) << result.out;
  // The pack returned: the runner was not killed for overstaying.
  EXPECT_FALSE(contains(result.out + result.err, "its runner was killed")) << result.out;
}

TEST_F(TcpPack, AnItemThatIsNoPortFailsTheRun) {
  configure("ports: [" + open_.port() + ", http]");
  const auto result = harness_.run_once();
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(
      contains(result.out, "FAILED db/ports_open: ports: 'http' is not a port (1 to 65535)"))
      << result.out;
}

// plugin.h: a required list holds at least one item. `ports: []` would
// check nothing and pass forever; the host refuses it at its line.
TEST_F(TcpPack, AnEmptyPortListIsAConfigErrorAtItsLine) {
  configure("ports: []");
  const auto result = harness_.run({"config", "check"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(contains(result.err, harness_.config_path().string() +
                                       ":8:38: required parameter 'ports' (string-list) in check "
                                       "'ports_open' of target 'db' is empty: pack 'tcp' needs at "
                                       "least one item"))
      << result.err;
}

// create() checks the host without the network and blames the parameter,
// so `config check` points at its line.
TEST_F(TcpPack, AUrlAsHostIsRefusedAtItsLine) {
  configure("ports: [" + open_.port() + "]", "http://db:5432");
  const auto result = harness_.run({"config", "check"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(contains(result.err, "host must be a name or an address, not a URL")) << result.err;
  EXPECT_TRUE(contains(result.err, harness_.config_path().string() + ":6:11: ")) << result.err;
}

}  // namespace
}  // namespace opr::test
