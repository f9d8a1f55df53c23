// tikv-sim at 10,000 stores: PD's store list stays fast and PD-sized.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "sim_process.h"

namespace opr::test {
namespace {

TEST(SimScale, TenThousandStoresAnswerTheStoreListQuickly) {
  SimProcess sim(10000);
  ASSERT_NE(0, sim.port());
  const auto started = std::chrono::steady_clock::now();
  const auto answer = sim.get("/pd/api/v1/stores", std::chrono::seconds(30));
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(200, answer.status);
  EXPECT_LT(took, std::chrono::seconds(5));
  // About what PD answers for as many stores (~1.4 kB each).
  EXPECT_GT(answer.body.size(), 12'000'000u);
  EXPECT_LT(answer.body.size(), 16'000'000u);

  const auto stores = nlohmann::json::parse(answer.body);
  EXPECT_EQ(10000, stores["count"]);
  std::set<std::uint64_t> ids;
  std::set<std::string> addresses;
  for (const auto& info : stores["stores"]) {
    ids.insert(info["store"]["id"].get<std::uint64_t>());
    addresses.insert(info["store"]["address"].get<std::string>());
    addresses.insert(info["store"]["status_address"].get<std::string>());
  }
  ASSERT_EQ(10000u, ids.size());
  EXPECT_EQ(1u, *ids.begin());
  EXPECT_EQ(10000u, *ids.rbegin());
  EXPECT_EQ(20000u, addresses.size()) << "addresses and status addresses must all differ";
}

}  // namespace
}  // namespace opr::test
