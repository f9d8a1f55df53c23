// tikv-sim's command line: what it refuses, and how it stops.
#include <gtest/gtest.h>

#include <csignal>

#include "sim_process.h"

namespace opr::test {
namespace {

using std::chrono::seconds;

TEST(SimCommandLine, RefusesBadArgumentsWithAMessage) {
  const std::string sim = tikv_sim().string();
  for (const auto& args : std::vector<std::vector<std::string>>{{"--stores", "0"},
                                                                {"--stores", "60000"},
                                                                {"--listen", "nowhere"},
                                                                {"--p99-ms", "0"},
                                                                {"--disk-used-percent", "120"},
                                                                {"--colour", "red"}}) {
    std::vector<std::string> argv = {sim};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto result = run_command(argv, {}, seconds(10));
    EXPECT_EQ(2, result.exit_code) << args[0];
    EXPECT_NE(std::string::npos, result.err.find("tikv-sim:")) << result.err;
  }
}

TEST(SimCommandLine, SaysSoWhenThePortIsTaken) {
  SimProcess first(1);
  const auto second =
      run_command({tikv_sim().string(), "--listen", "127.0.0.1:" + std::to_string(first.port())},
                  {}, seconds(10));
  EXPECT_EQ(1, second.exit_code);
  EXPECT_NE(std::string::npos, second.err.find("cannot listen")) << second.err;
}

TEST(SimCommandLine, ListensOnTheAskedPortAndStopsOnSigint) {
  const int port = free_port();
  Process sim(
      {tikv_sim().string(), "--stores", "2", "--listen", "127.0.0.1:" + std::to_string(port)});
  ASSERT_TRUE(sim.wait_for_output(
      "tikv-sim listening on 127.0.0.1:" + std::to_string(port) + " with 2 stores\n", seconds(30)))
      << sim.err();
  EXPECT_EQ(200, http_request(port, "GET", "/pd/api/v1/health").status);
  sim.signal(SIGINT);
  EXPECT_EQ(0, sim.wait(seconds(20)));  // generous: how fast it stops is not the point
}

}  // namespace
}  // namespace opr::test
