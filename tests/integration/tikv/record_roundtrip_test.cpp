// `--once --record DIR`, and POST /-/record on a running monitor, against
// tikv-sim and a real Prometheus, then `plugins test` on what they wrote,
// with neither running any more: an incident's answers replayed as a
// regression test.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tikv_cluster.h"

namespace opr::test {
namespace {

// `plugins test` on every .yaml in `dir`, which must pass; how many files.
size_t replays(const std::filesystem::path& dir) {
  std::vector<std::string> args = {"plugins", "test", "--plugin-dir", packs_dir().string()};
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") args.push_back(entry.path().string());
  }
  const size_t files = args.size() - 4;
  const CommandResult replayed = run_operator_host(args, {}, std::chrono::seconds(60));
  EXPECT_EQ(replayed.exit_code, 0) << replayed.out << replayed.err;
  const std::string all = std::to_string(files);
  EXPECT_TRUE(contains(replayed.out, "PASSED: " + all + " of " + all + " test files passed"))
      << replayed.out;
  return files;
}

// A running monitor (default isolation: each pack in a runner process, which
// makes the requests) records one cycle on POST /-/record into a folder of
// its config's record_dir, writes that cycle's tickets as usual, and the
// files replay once the cluster is gone.
TEST(TikvRecord, RunningMonitorRecordsOneCycleOnRequest) {
  HostHarness host({packs_dir() / "tikv.so"});
  const int port = free_port();
  std::filesystem::path dir;
  {
    TikvCluster cluster(3);
    ASSERT_TRUE(cluster.wait_for_p99_ms({})) << "Prometheus never saw the stores";
    cluster.sim().change_store(2, R"({"state_name": "Down"})");
    host.write_config("http: {listen: \"127.0.0.1:" + std::to_string(port) +
                      "\", record_dir: recordings}\n"
                      "defaults: {interval: 1s, timeout: 5s}\ntargets:\n  - name: t\n" +
                      with_metric_family_off(target_yaml(
                          cluster, "store_up: {}\n      latency: {}\n      disk_space: {}")));
    auto monitor = host.start();
    HttpResult answer;
    ASSERT_TRUE(wait_until(
        [&] {
          answer = http_request(port, "POST", "/-/record");
          return answer.status != 0;
        },
        kPatience))
        << monitor->err();
    ASSERT_EQ(answer.status, 202) << answer.body;
    const std::string said = "recording the next run of every check into ";
    ASSERT_TRUE(answer.body.starts_with(said)) << answer.body;
    dir = answer.body.substr(said.size(), answer.body.size() - said.size() - 1);
    EXPECT_EQ(std::filesystem::path(dir).parent_path(), host.file("recordings"));
    // "recorded 5 checks into DIR": every enabled check of the pack.
    ASSERT_TRUE(monitor->wait_for_output("checks into " + dir.string(), kPatience))
        << monitor->err();
    EXPECT_FALSE(contains(monitor->err(), "recording: ")) << monitor->err();
    // The recorded cycle counted: store 2's ticket is open.
    EXPECT_TRUE(host.open_ticket("t/store_up/2")) << monitor->err();
    // Another recording starts once this one ended, into a folder of its own.
    const HttpResult again = http_request(port, "POST", "/-/record");
    EXPECT_EQ(again.status, 202) << again.body;
    EXPECT_NE(again.body, answer.body);
    monitor->signal(SIGTERM);
    EXPECT_EQ(monitor->wait(kPatience), 0) << monitor->err();
  }  // tikv-sim and Prometheus are gone

  const std::string store_up = read_file(dir / "t.store_up.yaml");
  EXPECT_TRUE(contains(store_up, "subject: \"2\"")) << store_up;
  EXPECT_TRUE(contains(store_up, "/pd/api/v1/stores")) << store_up;
  EXPECT_GE(replays(dir), 3u) << "one file per enabled check";
}

TEST(TikvRecord, RecordedChecksReplayWithoutTheCluster) {
  TempDir records;
  {
    TikvCluster cluster(3);
    ASSERT_TRUE(cluster.wait_for_p99_ms({})) << "Prometheus never saw the stores";
    cluster.sim().change_store(2, R"({"state_name": "Down"})");
    TikvHost host(target_yaml(cluster, "store_up: {}\n      latency: {}\n      disk_space: {}"));
    const CommandResult recorded = host.run({"--once", "--record", records.path().string()});
    ASSERT_EQ(recorded.exit_code, 0) << recorded.out << recorded.err;
    EXPECT_TRUE(contains(recorded.out, "recorded t/store_up (1 violations)")) << recorded.out;
    // A recorded --once is a --once: its tickets are written.
    EXPECT_TRUE(host.open_ticket("t/store_up/2"));
  }  // tikv-sim and Prometheus are gone

  const std::string store_up = read_file(records / "t.store_up.yaml");
  EXPECT_TRUE(contains(store_up, "subject: \"2\"")) << store_up;
  EXPECT_TRUE(contains(store_up, "/pd/api/v1/stores")) << store_up;
  EXPECT_GE(replays(records.path()), 3u) << "one file per enabled check";
}

}  // namespace
}  // namespace opr::test
