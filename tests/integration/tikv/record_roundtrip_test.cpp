// `--once --record DIR` against tikv-sim and a real Prometheus, then
// `plugins test` on what it wrote, with neither running any more: an
// incident's answers replayed as a regression test.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tikv_cluster.h"

namespace opr::test {
namespace {

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
  }  // tikv-sim and Prometheus are gone

  std::vector<std::string> args = {"plugins", "test", "--plugin-dir", packs_dir().string()};
  for (const auto& entry : std::filesystem::directory_iterator(records.path())) {
    if (entry.path().extension() == ".yaml") args.push_back(entry.path().string());
  }
  const size_t files = args.size() - 4;
  ASSERT_GE(files, 3u) << "one file per enabled check";
  const std::string store_up = read_file(records / "t.store_up.yaml");
  EXPECT_TRUE(contains(store_up, "subject: \"2\"")) << store_up;
  EXPECT_TRUE(contains(store_up, "/pd/api/v1/stores")) << store_up;
  const CommandResult replayed = run_operator_host(args, {}, std::chrono::seconds(60));
  EXPECT_EQ(replayed.exit_code, 0) << replayed.out << replayed.err;
  const std::string all = std::to_string(files);
  EXPECT_TRUE(contains(replayed.out, "PASSED: " + all + " of " + all + " test files passed"))
      << replayed.out;
}

}  // namespace
}  // namespace opr::test
