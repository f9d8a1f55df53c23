// The protocol between the host and a pack runner: what a runner sends is
// read back exactly, and whatever else arrives (a frame at or past the
// maximum size, a stream cut inside a frame, garbage) is an error the host
// can report, never a crash or an unbounded allocation.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "isolation/frame.h"
#include "isolation/messages.h"

namespace opr::isolation {
namespace {

using std::chrono::milliseconds;

PackDeclaration sample_declaration() {
  PackDeclaration pack;
  pack.name = "tikv";
  pack.version = "1.2.0";
  pack.description = "TiKV invariants";
  pack.abi_major = 1;
  pack.abi_minor = 2;
  ParamDeclaration endpoint;
  endpoint.name = "pd_endpoint";
  endpoint.type = OP_PARAM_STRING;
  endpoint.required = true;
  endpoint.doc = "PD's address";
  pack.params.push_back(endpoint);
  ParamDeclaration quantile;
  quantile.name = "quantile";
  quantile.type = OP_PARAM_FLOAT;
  quantile.default_value = "0.99";
  quantile.bounds.min = 0.0;
  quantile.bounds.max = 1.0;
  quantile.bounds.min_exclusive = true;
  quantile.bounds.max_exclusive = true;
  CheckDeclaration check;
  check.name = "latency";
  check.description = "p99 below a threshold";
  check.default_severity = OP_SEVERITY_WARNING;
  check.default_interval = milliseconds(30'000);
  check.default_grace = milliseconds(60'000);
  check.params.push_back(quantile);
  pack.checks.push_back(check);
  return pack;
}

ParamMap sample_params() {
  return {{"text", std::string("a\0b", 3)},
          {"int", int64_t{-9'000'000'000}},
          {"float", 0.25},
          {"flag", true},
          {"wait", milliseconds(1500)},
          {"list", std::vector<std::string>{"200", "", "204"}}};
}

RunReply sample_run_reply() {
  RunReply reply;
  plugins::RunResult& result = reply.result;
  result.ok = true;
  result.duration = milliseconds(42);
  result.facts = {{"stores", "3", true}, {"source", "pd", false}};
  for (int i = 0; i < 3; ++i) {
    const std::string id = std::to_string(i);
    result.violations.push_back({id,
                                 "store " + id + " is Down",
                                 OP_SEVERITY_CRITICAL,
                                 {{"address", "10.0.1." + id, false}, {"stores", "3", true}}});
  }
  result.unknown = {{"7", "no metrics"}, {"", "the whole target"}};
  reply.logs = {{OP_LOG_INFO, "looked at 3 stores"}, {OP_LOG_ERROR, ""}};
  return reply;
}

// The frames of `bytes`, as a decoder reads them.
std::vector<Frame> decode_all(const std::string& bytes) {
  FrameDecoder decoder;
  decoder.feed(bytes);
  std::vector<Frame> frames;
  while (auto frame = decoder.next()) frames.push_back(std::move(*frame));
  return frames;
}

TEST(Protocol, EveryMessageReadsBackAsItWasSent) {
  const LoadReply loaded{"", sample_declaration()};
  const LoadReply back = decode_load_reply(encode(loaded));
  ASSERT_TRUE(back.declaration.has_value());
  const PackDeclaration& pack = *back.declaration;
  EXPECT_EQ(pack.name, "tikv");
  EXPECT_EQ(pack.abi_minor, 2);
  ASSERT_EQ(pack.params.size(), 1u);
  EXPECT_TRUE(pack.params[0].required);
  EXPECT_FALSE(pack.params[0].default_value.has_value());
  ASSERT_EQ(pack.checks.size(), 1u);
  EXPECT_EQ(pack.checks[0].default_grace, milliseconds(60'000));
  const ParamDeclaration& quantile = pack.checks[0].params.at(0);
  EXPECT_EQ(quantile.default_value, "0.99");
  EXPECT_EQ(quantile.bounds.max, ParamValue(1.0));
  EXPECT_TRUE(quantile.bounds.min_exclusive);
  EXPECT_EQ(quantile.bounds.describe(), sample_declaration().checks[0].params[0].bounds.describe());

  const LoadReply refused = decode_load_reply(encode(LoadReply{"x.so: refused", std::nullopt}));
  EXPECT_EQ(refused.error, "x.so: refused");
  EXPECT_FALSE(refused.declaration.has_value());

  EXPECT_EQ(decode_load_request(encode(LoadRequest{"/packs/tikv.so"})).file, "/packs/tikv.so");
  const CreateRequest create =
      decode_create_request(encode(CreateRequest{"prod", sample_params()}));
  EXPECT_EQ(create.target, "prod");
  EXPECT_EQ(create.params, sample_params());
  const CreateReply created =
      decode_create_reply(encode(CreateReply{false, "bad scheme", "pd_endpoint", {{2, "hi"}}}));
  EXPECT_FALSE(created.ok);
  EXPECT_EQ(created.param, "pd_endpoint");
  ASSERT_EQ(created.logs.size(), 1u);
  EXPECT_EQ(created.logs[0].message, "hi");
  const RunRequest run = decode_run_request(encode(RunRequest{4, 10'000, sample_params()}));
  EXPECT_EQ(run.check_index, 4u);
  EXPECT_EQ(run.timeout_ms, 10'000);
  EXPECT_EQ(run.params, sample_params());
  EXPECT_EQ(decode_destroy_reply(encode(DestroyReply{{{3, "bye"}}})).logs.at(0).level, 3);
}

TEST(Protocol, ARunsWholeOutcomeReadsBackFromOneFrame) {
  const RunReply sent = sample_run_reply();
  const auto frames = decode_all(encode_frame(MessageType::ran, encode(sent)));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].type, MessageType::ran);
  const RunReply got = decode_run_reply(frames[0].payload);
  const auto& result = got.result;
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.duration, milliseconds(42));
  ASSERT_EQ(result.facts.size(), 2u);
  EXPECT_EQ(result.facts[0].key, "stores");
  EXPECT_TRUE(result.facts[0].is_number);
  EXPECT_FALSE(result.facts[1].is_number);
  ASSERT_EQ(result.violations.size(), 3u);
  EXPECT_EQ(result.violations[2].subject, "2");
  EXPECT_EQ(result.violations[2].message, "store 2 is Down");
  EXPECT_EQ(result.violations[2].severity, OP_SEVERITY_CRITICAL);
  ASSERT_EQ(result.violations[2].facts.size(), 2u);
  EXPECT_EQ(result.violations[2].facts[0].value, "10.0.1.2");
  EXPECT_EQ(result.violations[2].facts[1].key, "stores");
  ASSERT_EQ(result.unknown.size(), 2u);
  EXPECT_EQ(result.unknown[1].subject, "");
  EXPECT_EQ(result.unknown[1].reason, "the whole target");
  ASSERT_EQ(got.logs.size(), 2u);
  EXPECT_EQ(got.logs[1].level, OP_LOG_ERROR);
}

// A recorded run's HTTP is made in the runner: the exchanges travel back to
// the host, which writes the recording.
TEST(Protocol, ARecordedRunsExchangesComeBackToTheHost) {
  RunRequest request{1, 500, {}};
  request.record = true;
  EXPECT_TRUE(decode_run_request(encode(request)).record);
  EXPECT_FALSE(decode_run_request(encode(RunRequest{1, 500, {}})).record);

  RunReply sent = sample_run_reply();
  sent.exchanges.push_back({"GET",
                            "http://pd:2379/pd/api/v1/stores",
                            std::nullopt,
                            200,
                            {{"content-type", "application/json"}},
                            "{\n  \"count\": 3\n}\n"});
  sent.exchanges.push_back(
      {"GET", "http://prom:9090/api/v1/query?query=up", "Connection refused", 0, {}, ""});
  const RunReply got = decode_run_reply(encode(sent));
  ASSERT_EQ(got.exchanges.size(), 2u);
  EXPECT_EQ(got.exchanges[0].url, "http://pd:2379/pd/api/v1/stores");
  EXPECT_EQ(got.exchanges[0].status, 200);
  EXPECT_EQ(got.exchanges[0].headers, sent.exchanges[0].headers);
  EXPECT_EQ(got.exchanges[0].body, sent.exchanges[0].body);
  EXPECT_FALSE(got.exchanges[0].error.has_value());
  EXPECT_EQ(got.exchanges[1].error, "Connection refused");
  EXPECT_EQ(got.result.violations.size(), 3u);
  EXPECT_EQ(got.exchanges_dropped, "");

  // Too much to send: the outcome goes without them, saying why.
  RunReply dropped = sample_run_reply();
  dropped.exchanges_dropped = "the run's HTTP exchanges do not fit in one message to the host";
  EXPECT_EQ(decode_run_reply(encode(dropped)).exchanges_dropped, dropped.exchanges_dropped);
}

TEST(Protocol, AFailedRunKeepsItsCause) {
  RunReply sent;
  sent.result.error = "PD GET http://pd:2379/pd/api/v1/stores answered HTTP 500: boom";
  sent.result.cause = "pd:http://pd:2379";
  const RunReply got = decode_run_reply(encode(sent));
  EXPECT_FALSE(got.result.ok);
  EXPECT_EQ(got.result.error, sent.result.error);
  EXPECT_EQ(got.result.cause, "pd:http://pd:2379");
}

TEST(Protocol, AKeyRepeatedOnEveryViolationTravelsOnce) {
  RunReply reply;
  for (int i = 0; i < 1000; ++i) {
    reply.result.violations.push_back(
        {std::to_string(i), "down", 0, {{"a_rather_long_fact_key_name", "1", true}}});
  }
  const std::string payload = encode(reply);
  EXPECT_EQ(payload.find("a_rather_long_fact_key_name"),
            payload.rfind("a_rather_long_fact_key_name"));
  EXPECT_EQ(decode_run_reply(payload).result.violations[999].facts[0].key,
            "a_rather_long_fact_key_name");
}

TEST(Protocol, AFrameOfTheMaximumSizeIsReadAndOneByteMoreIsRefused) {
  const std::string payload(kMaxFramePayload, 'x');
  const auto frames = decode_all(encode_frame(MessageType::ran, payload));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].payload.size(), kMaxFramePayload);
  EXPECT_THROW(encode_frame(MessageType::ran, payload + "x"), ProtocolError);

  // A header announcing more than the maximum is refused at once, before
  // anything waits for (or allocates) its payload.
  std::string header = encode_frame(MessageType::ran, "").substr(0, 4);
  const uint32_t too_big = static_cast<uint32_t>(kMaxFramePayload) + 1;
  for (int shift = 0; shift < 32; shift += 8)
    header += static_cast<char>((too_big >> shift) & 0xff);
  FrameDecoder decoder;
  decoder.feed(header);
  EXPECT_THROW(decoder.next(), ProtocolError);
}

TEST(Protocol, FramesArriveInPiecesOfAnySize) {
  const std::string bytes = encode_frame(MessageType::ran, encode(sample_run_reply())) +
                            encode_frame(MessageType::memory_limit, "") +
                            encode_frame(MessageType::destroyed, encode(DestroyReply{}));
  FrameDecoder decoder;
  std::vector<MessageType> types;
  for (char byte : bytes) {
    decoder.feed(std::string_view(&byte, 1));
    while (auto frame = decoder.next()) types.push_back(frame->type);
  }
  EXPECT_EQ(types, (std::vector<MessageType>{MessageType::ran, MessageType::memory_limit,
                                             MessageType::destroyed}));
  EXPECT_FALSE(decoder.mid_frame());
}

TEST(Protocol, AStreamCutInsideAFrameIsSeenAsTruncated) {
  const std::string frame = encode_frame(MessageType::ran, encode(sample_run_reply()));
  for (size_t cut : {size_t{1}, kFrameHeaderSize - 1, kFrameHeaderSize, frame.size() - 1}) {
    FrameDecoder decoder;
    decoder.feed(std::string_view(frame).substr(0, cut));
    EXPECT_FALSE(decoder.next().has_value()) << cut;
    EXPECT_TRUE(decoder.mid_frame()) << cut;
  }
  // A message cut short inside a whole frame is an error, at every length.
  const std::string payload = encode(sample_run_reply());
  for (size_t cut = 0; cut < payload.size(); ++cut) {
    EXPECT_THROW(decode_run_reply(std::string_view(payload).substr(0, cut)), ProtocolError) << cut;
  }
  EXPECT_THROW(decode_run_reply(payload + "x"), ProtocolError);
}

TEST(Protocol, GarbageIsAnErrorNeverACrash) {
  for (const std::string& garbage :
       {std::string("Segmentation fault\n"), std::string("OP\x02\x43\0\0\0\0", 8),
        std::string("OP\x01\xee\0\0\0\0", 8), std::string(8, '\xff')}) {
    FrameDecoder decoder;
    decoder.feed(garbage);
    EXPECT_THROW(decoder.next(), ProtocolError) << garbage;
  }
  // Random payloads inside well-formed frames: every decoder either reads a
  // message or throws ProtocolError.
  std::mt19937 random(14);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<size_t> length(0, 300);
  for (int i = 0; i < 20'000; ++i) {
    std::string payload(length(random), '\0');
    for (auto& c : payload) c = static_cast<char>(byte(random));
    for (const auto& decode : std::vector<void (*)(std::string_view)>{
             [](std::string_view p) { decode_load_request(p); },
             [](std::string_view p) { decode_load_reply(p); },
             [](std::string_view p) { decode_create_request(p); },
             [](std::string_view p) { decode_create_reply(p); },
             [](std::string_view p) { decode_run_request(p); },
             [](std::string_view p) { decode_run_reply(p); },
             [](std::string_view p) { decode_destroy_reply(p); }}) {
      try {
        decode(payload);
      } catch (const ProtocolError&) {
      }
    }
  }
}

TEST(Protocol, AMessageThatWouldTakeFarMoreMemoryThanItsBytesIsRefused) {
  // A million empty violations in 4 MB: each a few bytes on the wire, a
  // hundred in memory.
  std::string payload;
  payload += '\1';  // ok
  payload += '\0';  // error ""
  payload += '\0';  // duration 0
  payload += '\0';  // no fact keys
  payload += '\0';  // no run facts
  uint64_t n = 1'000'000;
  while (n >= 0x80) {
    payload += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  payload += static_cast<char>(n);
  payload.append(4'000'000, '\0');
  EXPECT_THROW(decode_run_reply(payload), ProtocolError);
}

}  // namespace
}  // namespace opr::isolation
