#include "pd_stores.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "fixture.h"

namespace opr::tikv {
namespace {

using test::fixture;
using test::parse_stores;

std::map<uint64_t, std::string> states(const StoreList& list) {
  std::map<uint64_t, std::string> out;
  for (const Store& s : list.stores) out[s.id] = s.state_name;
  return out;
}

TEST(PdStores, HealthyListHasThreeUpStoresInPdsOrder) {
  const StoreList list = parse_stores(fixture("pd/pd_stores_healthy.json"));
  ASSERT_EQ(list.stores.size(), 3u);
  EXPECT_EQ(list.stores[0].id, 4u);  // PD's order is kept: it is a Go map walk
  EXPECT_EQ(states(list), (std::map<uint64_t, std::string>{{1, "Up"}, {4, "Up"}, {5, "Up"}}));
  const Store& first = list.stores[0];
  EXPECT_EQ(first.address, "10.0.1.12:20160");
  EXPECT_EQ(first.status_address, "10.0.1.12:20180");
  EXPECT_EQ(first.version, "8.5.1");
  EXPECT_EQ(first.last_heartbeat_ns, 1741595408607448792);  // exact: beyond 2^53
  EXPECT_EQ(first.last_heartbeat_ts, "2025-03-10T08:30:08.607448792Z");
  EXPECT_EQ(first.capacity, "1.718TiB");
  EXPECT_EQ(first.available, "1.331TiB");
  EXPECT_EQ(first.used_size, "371.4GiB");
  for (const Store& s : list.stores) EXPECT_EQ(s.slow_score, 1u) << s.id;
}

TEST(PdStores, MixedListHasEveryStateIncludingTombstone) {
  const StoreList list = parse_stores(fixture("pd/pd_stores_mixed.json"));
  EXPECT_EQ(states(list),
            (std::map<uint64_t, std::string>{
                {1, "Up"}, {4, "Disconnected"}, {5, "Down"}, {6, "Offline"}, {7, "Tombstone"}}));
  const auto down = std::find_if(list.stores.begin(), list.stores.end(),
                                 [](const Store& s) { return s.id == 5; });
  EXPECT_EQ(down->address, "10.0.2.13:20160");
  EXPECT_EQ(down->last_heartbeat_ts, "2025-03-10T15:38:04.535765981+08:00");
  EXPECT_EQ(down->capacity, "878.9GiB");
}

TEST(PdStores, DefaultListLeavesTombstoneOut) {
  const StoreList list = parse_stores(fixture("pd/pd_stores_mixed_default.json"));
  EXPECT_EQ(list.stores.size(), 4u);
  EXPECT_EQ(states(list).count(7), 0u);
  for (const Store& s : list.stores) EXPECT_NE(s.state_name, "Tombstone");
}

TEST(PdStores, NotFoundBodyIsAJsonStringAndNotAStoreList) {
  const std::string body = fixture("pd/pd_store_404.json");
  EXPECT_EQ(pd_error_text(body), "[PD:core:ErrStoreNotFound]store 99 not found");
  try {
    parse_stores(body);
    FAIL() << "a JSON string parsed as a store list";
  } catch (const ResponseError& e) {
    EXPECT_NE(std::string(e.what()).find("store 99 not found"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(pd_error_text(fixture("pd/pd_stores_healthy.json")));
  EXPECT_FALSE(pd_error_text("\"a\" trailing"));
}

TEST(PdStores, OneStoreAnswerIsNotAList) {
  // /store/1 has no "stores": reading it as an empty cluster would be silence taken for health.
  EXPECT_THROW(parse_stores(fixture("pd/pd_store_1.json")), ResponseError);
}

TEST(PdStores, IdsAndHeartbeatsPast2To53AreExact) {
  const StoreList list = parse_stores(R"({"count": 2, "stores": [
    {"store": {"id": 18446744073709551615, "address": "a:20160", "status_address": "a:20180",
               "last_heartbeat": 9007199254740993, "state_name": "Up"}, "status": {}},
    {"store": {"id": 9007199254740993, "address": "b:20160",
               "last_heartbeat": 9223372036854775807, "state_name": "Down"}}]})");
  ASSERT_EQ(list.stores.size(), 2u);
  EXPECT_EQ(list.stores[0].id, 18446744073709551615ull);
  EXPECT_EQ(list.stores[0].last_heartbeat_ns, 9007199254740993);
  EXPECT_EQ(list.stores[1].id, 9007199254740993ull);
  EXPECT_EQ(list.stores[1].last_heartbeat_ns, 9223372036854775807);
  EXPECT_EQ(list.stores[1].status_address, "");
}

// status.slow_score as PD writes it (uint64, omitted when 0); anything else
// reads as no score (0) and leaves the rest of the list readable.
TEST(PdStores, SlowScoreIsReadAndAnythingElseIsNoScore) {
  const StoreList list = parse_stores(R"({"count": 6, "stores": [
    {"store": {"id": 1, "state_name": "Up"}, "status": {"slow_score": 95, "slow_trend": {}}},
    {"store": {"id": 2, "state_name": "Up"}, "status": {"capacity": "1GiB"}},
    {"store": {"id": 3, "state_name": "Up"}, "status": {"slow_score": "95", "used_size": "1B"}},
    {"store": {"id": 4, "state_name": "Up"}, "status": {"slow_score": 80.5, "available": "1B"}},
    {"store": {"id": 5, "state_name": "Up"}, "status": {"slow_score": -1}},
    {"store": {"id": 6, "state_name": "Tombstone"}}]})");
  ASSERT_EQ(list.stores.size(), 6u);
  EXPECT_EQ(list.stores[0].slow_score, 95u);
  EXPECT_EQ(list.stores[1].slow_score, 0u);
  EXPECT_EQ(list.stores[1].capacity, "1GiB");
  EXPECT_EQ(list.stores[2].slow_score, 0u);
  EXPECT_EQ(list.stores[2].used_size, "1B");
  EXPECT_EQ(list.stores[3].slow_score, 0u);
  EXPECT_EQ(list.stores[3].available, "1B");
  EXPECT_EQ(list.stores[4].slow_score, 0u);
  EXPECT_EQ(list.stores[5].slow_score, 0u);
}

// Every shape in which PD (or something answering in its place) lists no
// stores: each reads as an empty list, and an empty list fails the run.
TEST(PdStores, EveryEmptyShapeIsAnEmptyListThatFailsTheRun) {
  const std::vector<std::string> no_stores = {
      R"({"count":0,"stores":null})",  // PD: a nil Go slice
      R"({"count": 0, "stores": []})",
      R"({"stores":[]})",  // no count
      R"({"stores": null})",
      "[]",
      " [ ]\n",
      "null",
      "null\n",
  };
  for (const std::string& body : no_stores) {
    SCOPED_TRACE(body);
    const StoreList list = parse_stores(body);
    EXPECT_TRUE(list.stores.empty());
    EXPECT_EQ(no_stores_failure(list, "http://pd:2379/pd/api/v1/stores"),
              "PD GET http://pd:2379/pd/api/v1/stores lists no stores; a cluster without stores "
              "is not monitored (is this the right PD?)");
  }
  EXPECT_FALSE(no_stores_failure(parse_stores(fixture("pd/pd_stores_healthy.json")), "u"));
}

TEST(PdStores, ABareArrayOfValuesIsNotAList) {
  try {
    parse_stores(R"([{"store": {"id": 1, "state_name": "Up"}}])");
    FAIL() << "a bare array of stores parsed";
  } catch (const ResponseError& e) {
    EXPECT_STREQ(e.what(), "expected PD's store list, got a JSON array of values");
  }
}

TEST(PdStores, RefusesBrokenAnswersRatherThanReadingPartOfThem) {
  const std::string healthy = fixture("pd/pd_stores_healthy.json");
  const std::vector<std::string> broken = {
      healthy.substr(0, healthy.size() / 2),  // cut mid-way
      healthy.substr(0, healthy.size() - 4),  // last brackets missing
      healthy + "{}",                         // something after the list
      "<html><body>502 Bad Gateway</body></html>",
      "",
      "nul",
      "nullx",
      "[1]",
      "{}",               // no "stores"
      R"({"count": 0})",  // no "stores"
      R"({"count": 1, "stores": null})",
      R"({"count": 2, "stores": [{"store": {"id": 1, "state_name": "Up"}}]})",  // count mismatch
      R"({"count": 1, "stores": [{"store": {"id": 1, "address": "a"}}]})",      // no state_name
      R"({"count": 1, "stores": [{"store": {"state_name": "Up"}}]})",           // no id
      R"({"count": 1, "stores": [{"status": {}}]})",                            // no store
      R"({"count": 1, "stores": [{"store": {"id": -1, "state_name": "Up"}}]})",
      R"({"count": 1, "stores": [{"store": {"id": 1.5, "state_name": "Up"}}]})",
  };
  for (const std::string& body : broken) {
    EXPECT_THROW(parse_stores(body), ResponseError) << body.substr(0, 80);
  }
}

TEST(PdStores, ReasonsNameWhatIsWrong) {
  try {
    parse_stores(R"({"count": 1, "stores": [{"store": {"id": 12, "address": "a"}}]})");
    FAIL();
  } catch (const ResponseError& e) {
    EXPECT_STREQ(e.what(), "stores[0] (store 12) has no state_name");
  }
  try {
    parse_stores("{\"count\": 1, \"stores\": [");
    FAIL();
  } catch (const ResponseError& e) {
    EXPECT_NE(std::string(e.what()).find("malformed JSON"), std::string::npos) << e.what();
  }
}

TEST(PdStores, JsonBodyReadsInPlaceWhenTheBodyIsPadded) {
  // What the host hands a pack: the body, then OP_HTTP_BODY_PADDING zero bytes.
  const std::string body = fixture("pd/pd_stores_mixed.json");
  std::string buffer = body + std::string(64, '\0');
  const JsonBody padded(std::string_view(buffer.data(), body.size()), 64);
  EXPECT_FALSE(padded.copied());
  EXPECT_EQ(padded.view().data(), buffer.data());
  const JsonBody unpadded(body, 0);
  EXPECT_TRUE(unpadded.copied());
}

TEST(PdStores, ParserIsReusableAndNothingReturnedPointsIntoIt) {
  PdStoreListParser parser;
  const StoreList list = parse_pd_stores(parser, fixture("pd/pd_stores_mixed.json"));
  EXPECT_EQ(list.stores.size(), 5u);
  EXPECT_THROW(parse_pd_stores(parser, "{\"count\": 1, \"stores\": [{\"store\": {}}]}"),
               ResponseError);
  const StoreList again = parse_pd_stores(parser, fixture("pd/pd_stores_healthy.json"));
  EXPECT_EQ(list.stores[0].address, "10.0.2.14:20160");
  EXPECT_EQ(again.stores.size(), 3u);
}

TEST(PdStores, ExpectsMetricsOnlyFromRunningStores) {
  Store store;
  for (const auto& [state, expected] : std::map<std::string, bool>{{"Up", true},
                                                                   {"Offline", true},
                                                                   {"Down", false},
                                                                   {"Disconnected", false},
                                                                   {"Tombstone", false}}) {
    store.state_name = state;
    EXPECT_EQ(expects_metrics(store), expected) << state;
  }
}

}  // namespace
}  // namespace opr::tikv
