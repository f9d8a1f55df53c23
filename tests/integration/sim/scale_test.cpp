// tikv-sim at 10,000 stores: PD's store list is whole and PD-sized, PD's
// own /metrics stays small. How fast they answer is measured by bench/run,
// not bounded here.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <set>

#include "sim_process.h"

namespace opr::test {
namespace {

TEST(SimScale, TenThousandStoresAnswerTheWholeStoreList) {
  SimProcess sim(10000);
  ASSERT_NE(0, sim.port());
  const auto answer = sim.get("/pd/api/v1/stores", std::chrono::seconds(60));
  ASSERT_EQ(200, answer.status);
  // About what PD answers for as many stores (~1.4 kB each).
  EXPECT_GT(answer.body.size(), 12'000'000u);
  EXPECT_LT(answer.body.size(), 16'000'000u);

  // simdjson: 14 MB parse quickly even under the sanitizers.
  simdjson::dom::parser parser;
  const simdjson::dom::element stores = parser.parse(answer.body);
  EXPECT_EQ(10000u, stores["count"].get_uint64().value());
  std::set<std::uint64_t> ids;
  std::set<std::string_view> addresses;
  for (const auto info : stores["stores"].get_array()) {
    ids.insert(info["store"]["id"].get_uint64().value());
    addresses.insert(info["store"]["address"].get_string().value());
    addresses.insert(info["store"]["status_address"].get_string().value());
  }
  ASSERT_EQ(10000u, ids.size());
  EXPECT_EQ(1u, *ids.begin());
  EXPECT_EQ(10000u, *ids.rbegin());
  EXPECT_EQ(20000u, addresses.size()) << "addresses and status addresses must all differ";

  // PD's own /metrics does not grow with the stores: three members' worth.
  const auto pd_metrics = sim.get("/pd/metrics");
  ASSERT_EQ(200, pd_metrics.status);
  EXPECT_LT(pd_metrics.body.size(), 40'000u);
  EXPECT_NE(
      pd_metrics.body.find("pd_cluster_status{instance=\"10.0.1.2:2379\",type=\"store_up_count\"} "
                           "10000\n"),
      std::string::npos);
}

}  // namespace
}  // namespace opr::test
