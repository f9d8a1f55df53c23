// PD's store list fed piece by piece, as a streaming transfer hands it over:
// however the body is split, the list (or the error) is the same as for
// the whole body.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "fixture.h"
#include "json_value_end.h"
#include "pd_stores.h"

namespace opr::tikv {
namespace {

using test::fixture;

// Everything a Store holds, so that two lists compare field by field.
std::string dump(const StoreList& list) {
  std::string out;
  for (const Store& s : list.stores) {
    out += std::to_string(s.id) + "|" + s.address + "|" + s.status_address + "|" + s.state_name +
           "|" + s.version + "|" + std::to_string(s.last_heartbeat_ns) + "|" + s.last_heartbeat_ts +
           "|" + s.capacity + "|" + s.available + "|" + s.used_size + "\n";
  }
  return out;
}

// The list's dump, or "error: <reason>", for `body` cut before each offset
// in `cuts` (ascending).
std::string outcome(PdStoreListParser& parser, std::string_view body,
                    const std::vector<size_t>& cuts) {
  try {
    size_t from = 0;
    for (size_t cut : cuts) {
      parser.feed(body.substr(from, cut - from));
      from = cut;
    }
    parser.feed(body.substr(from));
    return dump(parser.finish());
  } catch (const ResponseError& e) {
    parser.reset();
    return std::string("error: ") + e.what();
  }
}

std::string whole(std::string_view body) {
  PdStoreListParser parser;
  return outcome(parser, body, {});
}

// Every way of cutting the body in two, then one byte at a time, then
// random piece sizes: all must agree with the whole body.
void expect_same_however_split(const std::string& body) {
  PdStoreListParser parser;
  const std::string expected = whole(body);
  for (size_t cut = 0; cut <= body.size(); ++cut) {
    ASSERT_EQ(outcome(parser, body, {cut}), expected) << "cut at " << cut;
  }
  std::vector<size_t> every_byte;
  for (size_t at = 1; at < body.size(); ++at) every_byte.push_back(at);
  ASSERT_EQ(outcome(parser, body, every_byte), expected) << "one byte at a time";
  std::mt19937 random(7);
  for (int round = 0; round < 20; ++round) {
    std::uniform_int_distribution<size_t> size(1, 1 + (round % 4 == 0 ? 4 : 90));
    std::vector<size_t> cuts;
    for (size_t at = size(random); at < body.size(); at += size(random)) cuts.push_back(at);
    ASSERT_EQ(outcome(parser, body, cuts), expected) << "random pieces, round " << round;
  }
}

std::string one_store(const std::string& id, const std::string& extra_fields) {
  return R"({"store": {"id": )" + id + R"(, "address": "a:20160", )" + extra_fields +
         R"("state_name": "Up"}, "status": {"capacity": "1TiB"}})";
}

// Every test runs with the scanner the CPU picks (AVX2 here) and with the
// portable one.
class PdStoresStream : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override { use_portable_json_scan(GetParam()); }
  void TearDown() override { use_portable_json_scan(false); }
};

INSTANTIATE_TEST_SUITE_P(Scanners, PdStoresStream, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Portable" : "Native";
                         });

TEST_P(PdStoresStream, EveryFixtureGivesTheSameListHoweverSplit) {
  for (const char* name : {"pd/pd_stores_healthy.json", "pd/pd_stores_mixed.json",
                           "pd/pd_stores_mixed_default.json"}) {
    SCOPED_TRACE(name);
    const std::string body = fixture(name);
    ASSERT_EQ(whole(body), dump(test::parse_stores(body)));
    ASSERT_NE(whole(body).find("|Up|"), std::string::npos);
    expect_same_however_split(body);
  }
}

TEST_P(PdStoresStream, ErrorsAreTheSameHoweverSplit) {
  const std::string healthy = fixture("pd/pd_stores_healthy.json");
  const std::vector<std::string> broken = {
      fixture("pd/pd_store_404.json"),  // PD's error: a JSON string
      fixture("pd/pd_store_1.json"),    // one store, not a list
      healthy.substr(0, healthy.size() / 2),
      healthy + "{}",
      "<html><body>502 Bad Gateway</body></html>",
      "",
      "  \n",
      "nul",
      "null null",
      "[] []",
      "[,]",
      "[{}]",
      R"({"count": 2, "stores": [{"store": {"id": 1, "state_name": "Up"}}]})",
      R"({"count": 1, "stores": [{"store": {"id": 1, "address": "a"}}]})",
      R"({"count": 1, "stores": [{"store": {"state_name": "Up"}}]})",
      R"({"count": 1, "stores": [{"status": {}}]})",
      R"({"count": 1, "stores": [{"store": {"id": -1, "state_name": "Up"}}]})",
      R"({"count": "1", "stores": null})",
      R"({"count": 0, "stores": 5})",
      R"({"count": 0, "stores": nul})",
      R"({"count": 0, "stores": [5]})",
      R"({"count": 0, "stores": [],})",
      R"({"count": 0 "stores": []})",
      R"({"count": 0, "stores": [{"store": {"id": 1, "state_name": "Up"}},]})",
      R"({"count": 0, "other": ,"stores": []})",
      R"({"count": 0, "stores": [{"store": {"id": 1, "state_name": "Up"]}]})",
  };
  for (const std::string& body : broken) {
    SCOPED_TRACE(body.substr(0, 80));
    ASSERT_EQ(whole(body).rfind("error: ", 0), 0u) << whole(body);
    expect_same_however_split(body);
  }
}

TEST_P(PdStoresStream, ErrorBodyNamesPdsMessageHoweverSplit) {
  const std::string body = "\"[PD:core:ErrStoreNotFound]store \\\"99\\\" not found\"";
  EXPECT_EQ(whole(body),
            "error: expected PD's store list, got a JSON string: "
            "\"[PD:core:ErrStoreNotFound]store \"99\" not found\"");
  expect_same_however_split(body);
}

TEST_P(PdStoresStream, BracesQuotesAndEscapesInsideStringsAreText) {
  const std::string labels =
      R"("labels": [{"key": "zone}", "value": "a\"}]{["}, {"key": "x", "value": "\\"},)"
      R"( {"key": "y\\\"", "value": "\u007d\\\\"}], "odd\"key}": "}}}", )";
  const std::string body = R"({"count": 2, "note": "]}\"{", "stores": [)" + one_store("1", labels) +
                           ", " + one_store("2", "") + "]}";
  const std::string expected = whole(body);
  EXPECT_EQ(expected,
            "1|a:20160||Up||0||1TiB||\n"
            "2|a:20160||Up||0||1TiB||\n");
  expect_same_however_split(body);
}

TEST_P(PdStoresStream, RunsOfBackslashesAcrossBlocksEscapeOnlyWhenOdd) {
  // Runs of 1 to 70 backslashes, before a quote (odd: the quote is text)
  // and before a brace, at every offset from the 64-byte blocks.
  std::string labels;
  for (int run = 1; run <= 70; ++run) {
    const std::string slashes(static_cast<size_t>(run), '\\');
    const std::string value = run % 2 == 1 ? slashes + "\"}" : slashes + "}";
    labels += R"("l)" + std::to_string(run) + R"(": ")" + value + R"(", )";
  }
  std::string body =
      R"({"count": 2, "stores": [)" + one_store("1", labels) + ", " + one_store("2", labels) + "]}";
  EXPECT_EQ(whole(body), "1|a:20160||Up||0||1TiB||\n2|a:20160||Up||0||1TiB||\n");
  expect_same_however_split(body);
}

TEST_P(PdStoresStream, OtherTopLevelFieldsAreSkippedWhateverTheirValue) {
  const std::string body = R"({"meta": {"a": [{"b": [1, {"c": "}]"}]}, [], {}], "d": null},)"
                           R"( "n": -1.5e3, "t": true, "s": "x\\", "count": 1, "e": [],)"
                           R"( "stores": [)" +
                           one_store("9", "") + R"(], "after": {"x": [[[]]]}})" + "\n";
  EXPECT_EQ(whole(body), "9|a:20160||Up||0||1TiB||\n");
  expect_same_however_split(body);
}

TEST_P(PdStoresStream, EmptyClusterHoweverSplit) {
  for (const std::string body :
       {R"({"count": 0, "stores": null})", R"({ "stores" : [ ] , "count" : 0 })",
        R"({"stores":[]})", "[]", " [\n] ", "null", "\nnull\n"}) {
    SCOPED_TRACE(body);
    EXPECT_EQ(whole(body), "");
    expect_same_however_split(body);
  }
}

TEST_P(PdStoresStream, StoreFarLargerThanUsualIsRead) {
  std::string labels = R"("labels": [)";
  for (int i = 0; i < 20000; ++i) {
    labels += R"({"key": "k)" + std::to_string(i) + R"(", "value": "{[\"v\"]}"}, )";
  }
  labels += R"({"key": "big", "value": ")" + std::string(1 << 20, 'x') + R"("}], )";
  const std::string body = R"({"count": 3, "stores": [)" + one_store("1", "") + ", " +
                           one_store("2", labels) + ", " + one_store("3", "") + "]}";
  ASSERT_GT(body.size(), 1u << 20);
  const std::string expected =
      "1|a:20160||Up||0||1TiB||\n2|a:20160||Up||0||1TiB||\n3|a:20160||Up||0||1TiB||\n";
  PdStoreListParser parser;
  EXPECT_EQ(outcome(parser, body, {}), expected);
  std::vector<size_t> cuts;
  for (size_t at = 4093; at < body.size(); at += 4093) cuts.push_back(at);
  EXPECT_EQ(outcome(parser, body, cuts), expected);
  // And the same parser goes back to ordinary lists.
  EXPECT_EQ(outcome(parser, fixture("pd/pd_stores_healthy.json"), {100}),
            whole(fixture("pd/pd_stores_healthy.json")));
}

TEST_P(PdStoresStream, TruncatedBodyIsAnErrorAtFinish) {
  const std::string body = fixture("pd/pd_stores_mixed.json");
  const size_t complete = body.rfind('}') + 1;
  PdStoreListParser parser;
  for (size_t size = 0; size < complete; ++size) {
    parser.feed(std::string_view(body).substr(0, size));  // no error yet: it may go on
    try {
      parser.finish();
      FAIL() << "a body cut after " << size << " bytes was taken as a list";
    } catch (const ResponseError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("malformed JSON (", 0), 0u) << e.what();
    }
  }
  parser.feed(std::string_view(body).substr(0, complete));
  EXPECT_EQ(parser.finish().stores.size(), 5u);
}

TEST_P(PdStoresStream, AfterAnErrorFeedAndFinishRepeatItThenTheParserIsReusable) {
  PdStoreListParser parser;
  parser.feed(R"({"count": 1, "stores": [{"store": {"id": 12})");
  EXPECT_THROW(parser.feed("}]}"), ResponseError);  // seen when the store closes
  try {
    parser.feed(R"(, {"store": {"id": 13, "state_name": "Up"}})");
    FAIL();
  } catch (const ResponseError& e) {
    EXPECT_STREQ(e.what(), "stores[0] (store 12) has no state_name");
  }
  EXPECT_THROW(parser.finish(), ResponseError);
  parser.feed(R"({"count": 1, "stores": [)");
  parser.feed(R"({"store": {"id": 13, "state_name": "Up"}}]})");
  EXPECT_EQ(dump(parser.finish()), "13|||Up||0||||\n");
}

TEST_P(PdStoresStream, ResetDropsAHalfReadBody) {
  PdStoreListParser parser;
  parser.feed(R"({"count": 1, "stores": [{"store": {"id": 1, "state_name": "Up"}}, {"sto)");
  parser.reset();
  parser.feed(R"({"count": 0, "stores": null})");
  EXPECT_TRUE(parser.finish().stores.empty());
}

// ---- bounds: whatever answers as PD costs at most this much ----------------

TEST_P(PdStoresStream, AStoreLargerThanTheLimitIsRefusedByItsIndexHoweverSplit) {
  const std::string big = R"("labels": [{"key": "big", "value": ")" +
                          std::string(PdStoreListParser::kMaxValueBytes, 'x') + R"("}], )";
  const std::string body =
      R"({"count": 2, "stores": [)" + one_store("1", "") + ", " + one_store("2", big) + "]}";
  const std::string expected = "error: stores[1] is larger than " +
                               std::to_string(PdStoreListParser::kMaxValueBytes) +
                               " bytes, the most one value may be";
  PdStoreListParser parser;
  EXPECT_EQ(outcome(parser, body, {}), expected);
  std::vector<size_t> cuts;
  for (size_t at = 65'521; at < body.size(); at += 65'521) cuts.push_back(at);
  EXPECT_EQ(outcome(parser, body, cuts), expected);
  // The parser goes back to ordinary lists.
  EXPECT_EQ(outcome(parser, fixture("pd/pd_stores_healthy.json"), {100}),
            whole(fixture("pd/pd_stores_healthy.json")));
}

TEST_P(PdStoresStream, AStoreNestedDeeperThanTheLimitIsRefusedHoweverSplit) {
  const auto nested = [](size_t levels) {
    return R"("labels": )" + std::string(levels, '[') + std::string(levels, ']') + ", ";
  };
  // The store's object is level 1 and its "store" level 2: "labels" opens 3.
  const size_t fits = PdStoreListParser::kMaxDepth - 2;
  const std::string ok = R"({"stores": [)" + one_store("1", nested(fits)) + "]}";
  EXPECT_EQ(whole(ok), "1|a:20160||Up||0||1TiB||\n");
  const std::string deep = R"({"stores": [)" + one_store("1", nested(fits + 1)) + "]}";
  EXPECT_EQ(whole(deep), "error: stores[0] nests objects and arrays deeper than 64 levels");
  expect_same_however_split(deep);
  // Past any limit a value is not read to its end: a million brackets stop
  // at the 65th.
  const std::string endless = R"({"stores": [{"store": )" + std::string(1'000'000, '[');
  PdStoreListParser parser;
  EXPECT_EQ(outcome(parser, endless, {20, 4000}),
            "error: stores[0] nests objects and arrays deeper than 64 levels");
  // Other top-level fields are bounded alike.
  EXPECT_EQ(
      whole(R"({"other": )" + std::string(65, '[') + std::string(65, ']') + R"(, "stores": []})"),
      "error: a field of PD's answer nests objects and arrays deeper than 64 levels");
}

TEST_P(PdStoresStream, MoreStoresThanTheLimitAreRefused) {
  std::string body = R"({"stores": [)";
  for (size_t i = 0; i <= PdStoreListParser::kMaxStores; ++i) {
    body += R"({"store":{"id":1,"state_name":"Up"}},)";
  }
  body.back() = ']';
  body += "}";
  const std::string expected = "error: PD lists more than " +
                               std::to_string(PdStoreListParser::kMaxStores) +
                               " stores, the most the pack reads";
  PdStoreListParser parser;
  EXPECT_EQ(outcome(parser, body, {}), expected);
  EXPECT_EQ(outcome(parser, body, {body.size() / 3, body.size() / 2}), expected);
}

TEST_P(PdStoresStream, ALyingCountReservesNoMoreThanTheLargestClusters) {
  // 2^62 stores announced, none listed: an error, and no allocation of
  // that size on the way.
  EXPECT_EQ(whole(R"({"count": 4611686018427387904, "stores": []})"),
            "error: PD's count says 4611686018427387904 stores but it listed 0");
}

TEST_P(PdStoresStream, ABrokenStoreIsTheSameErrorWhateverBytesLieAfterIt) {
  // Found by fuzz_pd_stores (corpus/pd_stores/crash-padding-byte-read-as-a-
  // token). On-Demand may take the byte after a malformed store for a
  // token. Split, this store was read from a copy whose next byte was left
  // there by the longer store before it ('}'): the break went unseen and
  // the error was "no state_name"; whole, the body's ']' came next and it
  // was "malformed JSON".
  const std::string broken = R"({"store":{"id":1,"a":"b":1,"c":{"d":1}}})";
  const std::string before = R"({"store":{"id":2,"state_name":"Up"})";
  const std::string longer = before + std::string(broken.size() - before.size(), ' ') + "}";
  const std::string body = R"({"stores":[)" + longer + "," + broken + "]}" + std::string(70, ' ');
  EXPECT_EQ(whole(body).rfind("error: malformed JSON (", 0), 0u) << whole(body);
  expect_same_however_split(body);
}

TEST_P(PdStoresStream, AnyBytesGiveAListOrAnErrorHoweverSplit) {
  // What the fuzz target (tests/fuzz/fuzz_pd_stores.cpp) checks, on a few
  // bodies that once were on the edges: control bytes, NUL, a lone quote
  // or backslash, an unterminated literal, bytes past the document.
  for (const std::string& body :
       {std::string(1, '\0'), std::string("{\"stores\":[\0]}", 14), std::string("\""),
        std::string("\\"), std::string("nul"), std::string("{\"count\":1e999,\"stores\":[]}"),
        std::string("{\"stores\":[{}]}"), std::string("{\"stores\":null}   \n\t "),
        std::string("{\"stores\":[]}\x1b[2J"), std::string("\xff\xfe{")}) {
    SCOPED_TRACE(body);
    expect_same_however_split(body);
  }
}

}  // namespace
}  // namespace opr::tikv
