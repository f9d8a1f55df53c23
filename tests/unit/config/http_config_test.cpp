// `http: {listen: HOST:PORT}`: the address of the monitor's own listener,
// read and checked before anything runs (a taken port is the listener's
// error at start: tests/integration/observe).
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "config/config.h"
#include "config/listen_address.h"
#include "test_packs.h"

namespace opr::config {
namespace {

ListenAddress parsed(const std::string& text) {
  auto result = parse_listen_address(text);
  if (auto* error = std::get_if<std::string>(&result)) {
    ADD_FAILURE() << text << ": " << *error;
    return {};
  }
  return std::get<ListenAddress>(result);
}

std::string refusal(const std::string& text) {
  auto result = parse_listen_address(text);
  if (auto* error = std::get_if<std::string>(&result)) return *error;
  ADD_FAILURE() << text << " was accepted";
  return "";
}

TEST(ListenAddress, ReadsHostsAndPorts) {
  EXPECT_EQ(parsed("127.0.0.1:9464"), (ListenAddress{"127.0.0.1", 9464}));
  EXPECT_EQ(parsed("localhost:1"), (ListenAddress{"localhost", 1}));
  EXPECT_EQ(parsed(":65535"), (ListenAddress{"", 65535}));
  EXPECT_EQ(parsed("[::1]:9464"), (ListenAddress{"::1", 9464}));
  EXPECT_EQ(parsed("monitor-1.example.org:80"), (ListenAddress{"monitor-1.example.org", 80}));
}

TEST(ListenAddress, WritesBackAsTheConfigWould) {
  EXPECT_EQ(to_string(ListenAddress{"127.0.0.1", 9464}), "127.0.0.1:9464");
  EXPECT_EQ(to_string(ListenAddress{"::1", 9464}), "[::1]:9464");
  EXPECT_EQ(to_string(ListenAddress{"", 9464}), ":9464");
}

TEST(ListenAddress, RefusesWhatIsNotHostAndPort) {
  EXPECT_EQ(refusal("9464"), "the port is missing: write HOST:PORT, e.g. 127.0.0.1:9464");
  EXPECT_EQ(refusal("127.0.0.1:"),
            "'' is not a port (1 to 65535); write HOST:PORT, e.g. 127.0.0.1:9464");
  EXPECT_EQ(refusal("127.0.0.1:0"),
            "port 0 is out of range (1 to 65535); write HOST:PORT, e.g. 127.0.0.1:9464");
  EXPECT_EQ(refusal("127.0.0.1:-1"),
            "'-1' is not a port (1 to 65535); write HOST:PORT, e.g. 127.0.0.1:9464");
  EXPECT_EQ(refusal("127.0.0.1:123456"),
            "'123456' is not a port (1 to 65535); write HOST:PORT, e.g. 127.0.0.1:9464");
  EXPECT_EQ(refusal("http://127.0.0.1:9464"),
            "a listen address has no scheme (no http://): write HOST:PORT, e.g. 127.0.0.1:9464");
  EXPECT_EQ(refusal("::1:9464"), "an IPv6 address must be in brackets, e.g. [::1]:9464");
  EXPECT_EQ(refusal("[::1:9464"),
            "an IPv6 address needs its closing ']': write HOST:PORT, e.g. 127.0.0.1:9464 or "
            "[::1]:9464");
  EXPECT_EQ(refusal("[nothost]:9464"), "'nothost' is not an IPv6 address");
  EXPECT_EQ(refusal("bad host:9464"),
            "'bad host' is not a host name or an IP address; write HOST:PORT, e.g. "
            "127.0.0.1:9464");
}

TEST(HttpConfig, OffUnlessListenIsGiven) {
  EXPECT_FALSE(test::load_text("targets: []\n").http.listen);
  EXPECT_FALSE(test::load_text("http:\ntargets: []\n").http.listen);
  EXPECT_FALSE(test::load_text("http: {listen: }\ntargets: []\n").http.listen);
}

TEST(HttpConfig, ListenTakesEnvironmentVariables) {
  const Config config =
      test::load_text("http: {listen: '${OPR_TEST_UNSET_LISTEN:-127.0.0.1:9464}'}\ntargets: []\n");
  ASSERT_TRUE(config.http.listen);
  EXPECT_EQ(*config.http.listen, (ListenAddress{"127.0.0.1", 9464}));
}

// POST /-/record writes under record_dir, relative to the config's folder;
// without it recording is off.
TEST(HttpConfig, RecordDirIsAgainstTheConfigsFolderAndOffWhenLeftOut) {
  EXPECT_FALSE(test::load_text("http: {listen: ':9464'}\ntargets: []\n").http.record_dir);
  const Config relative = test::load_text("http: {record_dir: recordings}\ntargets: []\n");
  EXPECT_EQ(relative.http.record_dir,
            std::filesystem::absolute(test::last_config_path()).parent_path() / "recordings");
  EXPECT_EQ(test::load_text("http: {record_dir: /var/rec}\ntargets: []\n").http.record_dir,
            std::filesystem::path("/var/rec"));
}

}  // namespace
}  // namespace opr::config
