// tikv-sim's PD answers against the real-format fixtures in tests/fixtures/pd.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include "sim_process.h"

namespace opr::test {
namespace {

constexpr std::uint64_t k2Pow53 = 1ULL << 53;

std::string kind(const OrderedJson& j) {
  if (j.is_object()) return "object";
  if (j.is_array()) return "array";
  if (j.is_string()) return "string";
  if (j.is_boolean()) return "boolean";
  if (j.is_number()) return "number";
  return "null";
}

// Same keys in the same order and the same JSON kinds, all the way down;
// array elements are compared with the fixture's first element.
void expect_same_shape(const OrderedJson& actual, const OrderedJson& expected,
                       const std::string& where) {
  ASSERT_EQ(kind(expected), kind(actual)) << where;
  if (expected.is_object()) {
    std::vector<std::string> expected_keys, actual_keys;
    for (const auto& [k, v] : expected.items()) expected_keys.push_back(k);
    for (const auto& [k, v] : actual.items()) actual_keys.push_back(k);
    ASSERT_EQ(expected_keys, actual_keys) << where;
    for (const auto& k : expected_keys) expect_same_shape(actual[k], expected[k], where + "." + k);
  } else if (expected.is_array() && !expected.empty()) {
    for (std::size_t i = 0; i < actual.size(); ++i) {
      expect_same_shape(actual[i], expected[0], where + "[" + std::to_string(i) + "]");
    }
  }
}

const OrderedJson& fixture_store_with_state(const OrderedJson& fixture, const std::string& state) {
  for (const auto& info : fixture["stores"]) {
    if (info["store"]["state_name"] == state) return info;
  }
  throw std::runtime_error("no " + state + " store in the fixture");
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::uint64_t> ids_of(const OrderedJson& stores_answer) {
  std::vector<std::uint64_t> ids;
  for (const auto& info : stores_answer["stores"]) ids.push_back(info["store"]["id"]);
  return ids;
}

// Stores 2..5 Disconnected, Down, Offline and Tombstone, as in the mixed fixture.
void make_mixed(const SimProcess& sim) {
  sim.change_store(2, R"({"state_name": "Disconnected"})");
  sim.change_store(3, R"({"state_name": "Down"})");
  sim.change_store(4, R"({"state_name": "Offline"})");
  sim.change_store(5, R"({"state_name": "Tombstone"})");
}

TEST(SimPdApi, EveryStoreStateHasTheFixtureShape) {
  SimProcess sim(5);
  make_mixed(sim);
  const auto fixture = read_fixture_json("pd/pd_stores_mixed.json");
  const auto answer = sim.get("/pd/api/v1/stores?state=0&state=1&state=2");
  ASSERT_EQ(200, answer.status);
  const auto stores = parse_json(answer.body);
  std::vector<std::string> top_keys;
  for (const auto& [k, v] : stores.items()) top_keys.push_back(k);
  EXPECT_EQ((std::vector<std::string>{"count", "stores"}), top_keys);
  EXPECT_EQ(5, stores["count"]);
  std::set<std::string> seen;
  for (const auto& info : stores["stores"]) {
    const std::string state = info["store"]["state_name"];
    seen.insert(state);
    expect_same_shape(info, fixture_store_with_state(fixture, state), "store " + state);
  }
  EXPECT_EQ((std::set<std::string>{"Up", "Disconnected", "Down", "Offline", "Tombstone"}), seen);
}

TEST(SimPdApi, SingleStoreHealthAndMembersHaveTheFixtureShapes) {
  SimProcess sim(3);
  const auto store = sim.get("/pd/api/v1/store/1");
  ASSERT_EQ(200, store.status);
  expect_same_shape(parse_json(store.body), read_fixture_json("pd/pd_store_1.json"), "store");
  const auto health = sim.get("/pd/api/v1/health");
  ASSERT_EQ(200, health.status);
  expect_same_shape(parse_json(health.body), read_fixture_json("pd/pd_health.json"), "health");
  const auto members = sim.get("/pd/api/v1/members");
  ASSERT_EQ(200, members.status);
  const auto parsed = parse_json(members.body);
  expect_same_shape(parsed, read_fixture_json("pd/pd_members.json"), "members");
  // Ids are uint64 that real clusters push past INT64_MAX.
  EXPECT_TRUE(parsed["header"]["cluster_id"].is_number_unsigned());
  EXPECT_GT(parsed["leader"]["member_id"].get<std::uint64_t>(),
            static_cast<std::uint64_t>(INT64_MAX));
}

TEST(SimPdApi, AnswersAreLaidOutAsPdWritesThem) {
  SimProcess sim(3);
  for (const std::string path :
       {"/pd/api/v1/stores", "/pd/api/v1/store/2", "/pd/api/v1/health", "/pd/api/v1/members"}) {
    const auto answer = sim.get(path);
    ASSERT_EQ(200, answer.status) << path;
    EXPECT_EQ("application/json; charset=UTF-8", answer.content_type) << path;
    // Go's 2-space MarshalIndent plus the encoder's newline, which is what
    // nlohmann writes for the same document.
    EXPECT_EQ(parse_json(answer.body).dump(2) + "\n", answer.body) << path;
  }
}

TEST(SimPdApi, TombstoneIsLeftOutUnlessAskedFor) {
  SimProcess sim(5);
  make_mixed(sim);
  auto ids = ids_of(parse_json(sim.get("/pd/api/v1/stores").body));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ((std::vector<std::uint64_t>{1, 2, 3, 4}), ids);
  EXPECT_EQ(4, parse_json(sim.get("/pd/api/v1/stores").body)["count"]);

  ids = ids_of(parse_json(sim.get("/pd/api/v1/stores?state=0&state=1&state=2").body));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ((std::vector<std::uint64_t>{1, 2, 3, 4, 5}), ids);
  EXPECT_EQ((std::vector<std::uint64_t>{5}),
            ids_of(parse_json(sim.get("/pd/api/v1/stores?state=2").body)));
  EXPECT_EQ((std::vector<std::uint64_t>{4}),
            ids_of(parse_json(sim.get("/pd/api/v1/stores?state=1").body)));
}

TEST(SimPdApi, BadStateFiltersAndUnknownStoresAnswerAsPdDoes) {
  SimProcess sim(3);
  const auto unknown_state = sim.get("/pd/api/v1/stores?state=0&state=3");
  EXPECT_EQ(500, unknown_state.status);
  EXPECT_EQ("\"unknown StoreState: 3\"\n", unknown_state.body);
  const auto not_a_number = sim.get("/pd/api/v1/stores?state=up");
  EXPECT_EQ(500, not_a_number.status);
  EXPECT_EQ("\"strconv.Atoi: parsing \\\"up\\\": invalid syntax\"\n", not_a_number.body);

  const auto missing = sim.get("/pd/api/v1/store/99");
  EXPECT_EQ(404, missing.status);
  EXPECT_EQ("application/json; charset=UTF-8", missing.content_type);
  EXPECT_EQ(read_file(fixtures_dir() / "pd/pd_store_404.json"), missing.body);
  EXPECT_EQ(400, sim.get("/pd/api/v1/store/abc").status);
}

TEST(SimPdApi, StoreOrderChangesBetweenCalls) {
  SimProcess sim(10);
  const auto first = ids_of(parse_json(sim.get("/pd/api/v1/stores").body));
  ASSERT_EQ(10u, first.size());
  bool changed = false;
  for (int call = 0; call < 10 && !changed; ++call) {
    const auto next = ids_of(parse_json(sim.get("/pd/api/v1/stores").body));
    EXPECT_EQ(std::set<std::uint64_t>(first.begin(), first.end()),
              std::set<std::uint64_t>(next.begin(), next.end()));
    changed = next != first;
  }
  EXPECT_TRUE(changed) << "ten calls answered the same order";
}

TEST(SimPdApi, HeartbeatsStopForDownAndDisconnectedStores) {
  SimProcess sim(5);
  // The sim reads its clock within each of these spans: when it changed the
  // stores, and when it answered. Bounds taken from the right end hold
  // exactly, however slow the requests.
  const std::int64_t changing = now_ns();
  make_mixed(sim);
  const std::int64_t changed = now_ns();
  const auto read = [&] {
    std::map<std::uint64_t, OrderedJson> by_id;
    const auto answer = parse_json(sim.get("/pd/api/v1/stores?state=0&state=1&state=2").body);
    for (const auto& info : answer["stores"]) {
      by_id[info["store"]["id"].get<std::uint64_t>()] = info;
    }
    return by_id;
  };
  const std::int64_t sent = now_ns();
  const auto stores = read();
  const auto heartbeat = [&](std::uint64_t id) {
    const auto& hb = stores.at(id)["store"]["last_heartbeat"];
    EXPECT_TRUE(hb.is_number_integer());
    EXPECT_GT(hb.get<std::uint64_t>(), k2Pow53);
    return hb.get<std::int64_t>();
  };
  const auto seconds_from = [&](std::int64_t at, std::uint64_t id) {
    return static_cast<double>(at - heartbeat(id)) / 1e9;
  };
  EXPECT_LT(seconds_from(sent, 1), 10);  // heartbeats every 10 s
  // Disconnected: its last heartbeat was 21-30 s before the change.
  EXPECT_GE(seconds_from(changed, 2), 21);
  EXPECT_LE(seconds_from(changing, 2), 30);
  EXPECT_GT(seconds_from(changed, 3), 30 * 60);  // Down: over 30 min before
  EXPECT_LT(seconds_from(sent, 4), 10);          // Offline stores still heartbeat

  // A stopped heartbeat stays where it stopped, and so does the uptime.
  const auto stopped = stores.at(3)["store"]["last_heartbeat"].get<std::uint64_t>();
  // Time must pass for a heartbeat to have moved: the wait is the test.
  ASSERT_TRUE(
      wait_until([&] { return now_ns() - sent > 1'100'000'000; }, std::chrono::seconds(30)));
  const auto later = read();
  EXPECT_EQ(stopped, later.at(3)["store"]["last_heartbeat"].get<std::uint64_t>());
  EXPECT_EQ(stores.at(3)["status"]["uptime"], later.at(3)["status"]["uptime"]);
  EXPECT_EQ("Down", later.at(3)["store"]["state_name"]);
  EXPECT_EQ("Disconnected", later.at(2)["store"]["state_name"]);

  // Up again: heartbeats resume.
  sim.change_store(3, R"({"state_name": "Up"})");
  const auto revived = read();
  EXPECT_EQ("Up", revived.at(3)["store"]["state_name"]);
  EXPECT_GT(revived.at(3)["store"]["last_heartbeat"].get<std::uint64_t>(), stopped);
}

TEST(SimPdApi, TimesAndDurationsFollowGoFormats) {
  SimProcess sim(3);
  const auto info = parse_json(sim.get("/pd/api/v1/store/1").body);
  const std::string heartbeat_ts = info["status"]["last_heartbeat_ts"];
  const auto heartbeat = info["store"]["last_heartbeat"].get<std::uint64_t>();
  // RFC3339Nano in UTC, the fraction being the heartbeat's nanoseconds with
  // trailing zeros trimmed.
  std::smatch m;
  ASSERT_TRUE(std::regex_match(heartbeat_ts, m,
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z)")))
      << heartbeat_ts;
  std::string fraction = std::to_string(heartbeat % 1'000'000'000);
  fraction = std::string(9 - fraction.size(), '0') + fraction;
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  EXPECT_EQ(fraction.empty() ? "" : "." + fraction, m[1].str());
  EXPECT_TRUE(std::regex_match(info["status"]["start_ts"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  // Go's Duration.String(): hours never roll into days.
  EXPECT_TRUE(std::regex_match(info["status"]["uptime"].get<std::string>(),
                               std::regex(R"(\d+h\d+m\d+(\.\d{1,9})?s)")))
      << info["status"]["uptime"];
}

TEST(SimPdApi, SizesAreGoUnitsStrings) {
  // PD's own size_test.go: 1756821276000 bytes marshal to "1.598TiB".
  SimProcess sim(1, {"--capacity", "1756821276000", "--disk-used-percent", "0"});
  const auto status = parse_json(sim.get("/pd/api/v1/store/1").body)["status"];
  EXPECT_EQ("1.598TiB", status["capacity"]);
  EXPECT_EQ("1.598TiB", status["available"]);
  EXPECT_EQ("0B", status["used_size"]);
  sim.change_store(1, R"({"capacity_bytes": 943718400000, "disk_used_percent": 30})");
  const auto changed = parse_json(sim.get("/pd/api/v1/store/1").body)["status"];
  EXPECT_EQ("878.9GiB", changed["capacity"]);
  EXPECT_EQ("263.7GiB", changed["used_size"]);
  EXPECT_EQ("615.2GiB", changed["available"]);
}

TEST(SimPdApi, MemberHealthAndTheLeaderFollowTheControlApi) {
  SimProcess sim(3);
  const auto health_of = [&](const std::string& name) {
    for (const auto& member : parse_json(sim.get("/pd/api/v1/health").body)) {
      if (member["name"] == name) return member["health"].get<bool>();
    }
    ADD_FAILURE() << "no member " << name;
    return false;
  };
  const auto members = [&] { return parse_json(sim.get("/pd/api/v1/members").body); };
  // By default: three healthy members, pd-10.0.1.2-2379 leading.
  for (const char* name : {"pd-10.0.1.1-2379", "pd-10.0.1.2-2379", "pd-10.0.1.3-2379"}) {
    EXPECT_TRUE(health_of(name)) << name;
  }
  EXPECT_EQ(members()["leader"]["name"], "pd-10.0.1.2-2379");

  sim.set_pd_member_health("pd-10.0.1.3-2379", false);
  EXPECT_FALSE(health_of("pd-10.0.1.3-2379"));
  EXPECT_TRUE(health_of("pd-10.0.1.1-2379"));
  expect_same_shape(parse_json(sim.get("/pd/api/v1/health").body),
                    read_fixture_json("pd/pd_health.json"), "health");
  EXPECT_EQ(members()["members"].size(), 3u);  // an unhealthy member is still a member

  sim.set_pd_leader("pd-10.0.1.3-2379");
  EXPECT_EQ(members()["leader"]["name"], "pd-10.0.1.3-2379");
  EXPECT_EQ(members()["etcd_leader"]["name"], "pd-10.0.1.3-2379");
  expect_same_shape(members(), read_fixture_json("pd/pd_members.json"), "members");

  // Without a leader PD's redirector answers 503 unless a follower may answer.
  sim.set_pd_leader(std::nullopt);
  for (const std::string path : {"/pd/api/v1/members", "/pd/api/v1/health", "/pd/api/v1/stores"}) {
    const auto refused = sim.get(path);
    EXPECT_EQ(refused.status, 503) << path;
    EXPECT_EQ(refused.body, "no leader\n") << path;
    EXPECT_EQ(refused.content_type, "text/plain; charset=utf-8") << path;
  }
  const auto follower =
      http_request(sim.port(), "GET", "/pd/api/v1/members", "", std::chrono::seconds(10),
                   {{"PD-Allow-follower-handle", "true"}});
  ASSERT_EQ(follower.status, 200) << follower.body;
  const auto leaderless = parse_json(follower.body);
  EXPECT_FALSE(leaderless.contains("leader")) << follower.body;
  EXPECT_FALSE(leaderless.contains("etcd_leader")) << follower.body;
  EXPECT_EQ(leaderless["members"].size(), 3u);
  EXPECT_TRUE(parse_json(sim.get("/sim/state").body)["pd_leader"].is_null());
  EXPECT_EQ(200, sim.get("/metrics").status);

  sim.set_pd_leader("pd-10.0.1.1-2379");
  EXPECT_EQ(members()["leader"]["name"], "pd-10.0.1.1-2379");
  const auto state = parse_json(sim.get("/sim/state").body);
  EXPECT_EQ(state["pd_leader"], "pd-10.0.1.1-2379");
  EXPECT_EQ(state["pd_members"][2]["health"], false);
}

TEST(SimPdApi, BadMemberAndLeaderChangesAreRefused) {
  SimProcess sim(3);
  EXPECT_EQ(sim.post("/sim/pd/members/pd-9", R"({"health": false})").status, 404);
  EXPECT_EQ(sim.post("/sim/pd/members/pd-10.0.1.1-2379", R"({"health": "no"})").status, 400);
  EXPECT_EQ(sim.post("/sim/pd/members/pd-10.0.1.1-2379", R"({"healthy": false})").status, 400);
  EXPECT_EQ(sim.post("/sim/pd/members/pd-10.0.1.1-2379", "[]").status, 400);
  EXPECT_EQ(sim.post("/sim/pd/leader", R"({"name": "pd-9"})").status, 404);
  EXPECT_EQ(sim.post("/sim/pd/leader", R"({"name": 1})").status, 400);
  EXPECT_EQ(sim.post("/sim/pd/leader", R"({})").status, 400);
  EXPECT_EQ(sim.post("/sim/pd/leader", R"({"name": null, "x": 1})").status, 400);
  // Nothing changed.
  const auto state = parse_json(sim.get("/sim/state").body);
  EXPECT_EQ(state["pd_leader"], "pd-10.0.1.2-2379");
  for (const auto& member : state["pd_members"]) EXPECT_EQ(member["health"], true);
}

TEST(SimPdApi, TheSeedFixesTheCluster) {
  const auto store_one = [](const std::string& seed) {
    SimProcess sim(3, {"--seed", seed});
    const auto status = parse_json(sim.get("/pd/api/v1/store/1").body)["status"];
    return std::make_pair(status["region_count"].get<std::int64_t>(),
                          status["region_size"].get<std::int64_t>());
  };
  EXPECT_EQ(store_one("7"), store_one("7"));
  EXPECT_NE(store_one("7"), store_one("8"));
}

}  // namespace
}  // namespace opr::test
