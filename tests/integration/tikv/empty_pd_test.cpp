// PD answering a list without stores, end to end: every check fails (exit 3
// from --once) and nothing open is resolved, whatever shape the empty list
// takes. A stand-in PD (cpp-httplib) answers, since tikv-sim always has
// stores.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <utility>

#include "loopback_server.h"
#include "tikv_cluster.h"

namespace opr::test {
namespace {

// Answers GET /pd/api/v1/stores with whatever it was last told.
class FakePd {
 public:
  FakePd() {
    server_.server().Get("/pd/api/v1/stores",
                         [this](const httplib::Request&, httplib::Response& response) {
                           std::lock_guard lock(mutex_);
                           response.set_content(body_, "application/json; charset=UTF-8");
                         });
    server_.start();
  }

  std::string url() const { return server_.url(""); }
  void answer(std::string body) {
    std::lock_guard lock(mutex_);
    body_ = std::move(body);
  }

 private:
  std::mutex mutex_;
  std::string body_;
  LoopbackServer server_;  // last: stopped before what its handler uses goes
};

TEST(TikvEmptyPd, EveryShapeOfNoStoresFailsEveryCheckAndResolvesNothing) {
  FakePd pd;
  // Stores 4 Disconnected, 5 Down, 6 Offline: three open store_up tickets.
  pd.answer(read_file(fixtures_dir() / "pd/pd_stores_mixed_default.json"));
  // Nothing answers as Prometheus: latency and disk_space fail either way,
  // and must fail for PD's reason once PD lists no stores.
  TikvHost host("    pack: tikv\n    pd_endpoint: " + pd.url() +
                "\n    prometheus_url: http://127.0.0.1:" + std::to_string(free_port()) +
                "\n    checks:\n      store_up: {}\n      latency: {}\n      disk_space: {}\n");
  const CommandResult before = host.run_once();
  ASSERT_EQ(before.exit_code, 3) << before.out << before.err;
  for (const char* store : {"4", "5", "6"}) {
    ASSERT_EQ(host.cli_ticket("store_up", store).value()["status"], "open") << store;
  }

  const std::string reason = "PD GET " + pd.url() +
                             "/pd/api/v1/stores lists no stores; a cluster without stores is not "
                             "monitored (is this the right PD?)";
  for (const std::string body :
       {R"({"count":0,"stores":null})", "{\n  \"count\": 0,\n  \"stores\": []\n}\n",
        R"({"stores":[]})", "[]", "null"}) {
    SCOPED_TRACE(body);
    pd.answer(body);
    const CommandResult run = host.run_once();
    EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
    for (const char* check : {"store_up", "latency", "disk_space"}) {
      EXPECT_TRUE(contains(run.out, "FAILED t/" + std::string(check) + ": " + reason))
          << check << "\n"
          << run.out;
    }
    for (const char* store : {"4", "5", "6"}) {
      EXPECT_EQ(host.cli_ticket("store_up", store).value()["status"], "open") << store;
    }
  }
}

}  // namespace
}  // namespace opr::test
