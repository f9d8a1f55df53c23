// The built pack (packs/tikv.so) through its C ABI, with a small in-test
// host that answers PD and Prometheus from canned bodies: what the pack
// declares, what create() refuses and names, and what a run says about the
// stores it could not see (run_unknown), before the real host implements it.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <operator/plugin.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fixture.h"
#include "test_support.h"

namespace opr::tikv {
namespace {

// A canned answer: status and body.
struct Answer {
  int status = 200;
  std::string body;
};

// Parameter values as the host resolves them (defaults applied).
struct ParamValues {
  std::map<std::string, std::string> strings;
  std::map<std::string, double> floats;
  std::map<std::string, uint64_t> durations_ms;
  std::map<std::string, bool> bools;
};

// Everything one run told the host.
struct RunRecord {
  std::map<std::string, Answer>* answers = nullptr;  // by URL prefix
  std::vector<std::string> requested;
  std::deque<std::string> bodies;  // padded; deques: what the pack holds stays put
  std::deque<op_http_response> responses;
  std::map<std::string, std::string> facts;
  std::vector<std::string> violations;                       // subjects
  std::vector<std::pair<std::string, std::string>> unknown;  // subject, reason
  std::string failure;
};

struct HostRecord {
  std::vector<std::pair<int32_t, std::string>> logs;
  std::string invalid_param;
};

template <typename T>
T* as(const void* handle) {
  return static_cast<T*>(const_cast<void*>(handle));
}

template <typename T>
int32_t get(const std::map<std::string, T>& values, const char* name, T* out) {
  const auto it = values.find(name);
  if (it == values.end()) return 0;
  *out = it->second;
  return 1;
}

const op_http_response* respond(op_run* raw, const op_http_request* request,
                                op_pack_http_body_fn on_body, void* user) {
  RunRecord& run = *as<RunRecord>(raw);
  run.requested.push_back(request->url);
  Answer answer{404, "no canned answer"};
  for (const auto& [prefix, canned] : *run.answers) {
    if (std::string_view(request->url).starts_with(prefix)) answer = canned;
  }
  std::string kept;
  if (on_body != nullptr && answer.status / 100 == 2) {
    // In two pieces, as a stream may cut it anywhere.
    const size_t half = answer.body.size() / 2;
    if (half > 0) on_body(user, answer.body.data(), half);
    if (answer.body.size() > half)
      on_body(user, answer.body.data() + half, answer.body.size() - half);
  } else {
    kept = answer.body;
  }
  run.bodies.push_back(kept + std::string(OP_HTTP_BODY_PADDING, '\0'));
  op_http_response response{};
  response.struct_size = sizeof response;
  response.ok = 1;
  response.status = answer.status;
  response.body = run.bodies.back().data();
  response.body_len = kept.size();
  response.error = "";
  run.responses.push_back(response);
  return &run.responses.back();
}

class TikvPackAbi : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string file = (opr::test::packs_dir() / "tikv.so").string();
    library_ = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(library_, nullptr) << dlerror();
    const auto entry = reinterpret_cast<op_pack_entry_fn>(dlsym(library_, OP_PACK_ENTRY_SYMBOL));
    ASSERT_NE(entry, nullptr);
    pack_ = entry();

    api_.struct_size = sizeof api_;
    api_.abi_major = OP_ABI_MAJOR;
    api_.abi_minor = OP_ABI_MINOR;
    api_.host = reinterpret_cast<op_host*>(&host_);
    api_.log = [](op_host* host, int32_t level, const char* message) {
      as<HostRecord>(host)->logs.emplace_back(level, message);
    };
    api_.now_unix_ms = [](op_host*) -> int64_t { return 1741595415087; };
    api_.now_monotonic_ns = [](op_host*) -> uint64_t {
      return static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    };
    api_.param_get_string = [](const op_params* p, const char* name, const char** out) {
      const auto& values = as<ParamValues>(p)->strings;
      const auto it = values.find(name);
      if (it == values.end()) return int32_t{0};
      *out = it->second.c_str();
      return int32_t{1};
    };
    api_.param_get_int = [](const op_params*, const char*, int64_t*) { return int32_t{0}; };
    api_.param_get_float = [](const op_params* p, const char* name, double* out) {
      return get(as<ParamValues>(p)->floats, name, out);
    };
    api_.param_get_bool = [](const op_params* p, const char* name, int32_t* out) {
      bool value = false;
      if (get(as<ParamValues>(p)->bools, name, &value) == 0) return int32_t{0};
      *out = value ? 1 : 0;
      return int32_t{1};
    };
    api_.param_get_duration_ms = [](const op_params* p, const char* name, uint64_t* out) {
      return get(as<ParamValues>(p)->durations_ms, name, out);
    };
    api_.param_list_size = [](const op_params*, const char*) { return uint32_t{0}; };
    api_.param_list_item = [](const op_params*, const char*, uint32_t, const char**) {
      return int32_t{0};
    };
    api_.http_request = [](op_run* run, const op_http_request* request) {
      return respond(run, request, nullptr, nullptr);
    };
    api_.http_stream = &respond;
    api_.run_report = [](op_run* run, const op_violation* v) {
      as<RunRecord>(run)->violations.push_back(v->subject);
    };
    api_.run_fact = [](op_run* run, const op_fact* fact) {
      as<RunRecord>(run)->facts[fact->key] = fact->value;
    };
    api_.run_fail = [](op_run* run, const char* message) { as<RunRecord>(run)->failure = message; };
    api_.run_cancelled = [](op_run*) { return int32_t{0}; };
    api_.run_unknown = [](op_run* run, const char* subject, const char* reason) {
      as<RunRecord>(run)->unknown.emplace_back(subject, reason);
    };
    api_.param_invalid = [](const op_params*, const char* name) {
      // The one host of this test: find it through the fixture.
      current_->host_.invalid_param = name;
    };
    current_ = this;

    target_.strings = {{"pd_endpoint", "http://pd.test"}, {"prometheus_url", "http://prom.test"}};
    target_.durations_ms = {{"store_list_max_age", 0}};
  }

  void TearDown() override {
    if (instance_ != nullptr) pack_->destroy(instance_);
    current_ = nullptr;
    // Never dlclose: the ABI allows a pack to stay loaded.
  }

  // create() with target_; the error when it refused.
  std::optional<std::string> create() {
    char error[512] = {};
    instance_ =
        pack_->create(&api_, reinterpret_cast<const op_params*>(&target_), error, sizeof error);
    if (instance_ == nullptr) return std::string(error);
    return std::nullopt;
  }

  uint32_t check(const std::string& name) const {
    for (uint32_t i = 0; i < pack_->check_count; ++i) {
      if (name == pack_->checks[i].name) return i;
    }
    ADD_FAILURE() << "no check " << name;
    return 0;
  }

  const op_param_def& param(const op_param_def* params, uint32_t count,
                            const std::string& name) const {
    for (uint32_t i = 0; i < count; ++i) {
      if (name == params[i].name) return params[i];
    }
    throw std::logic_error("no parameter " + name);
  }

  // One run of `name` with the check's default parameters; its status in
  // `status`.
  RunRecord run(const std::string& name, int32_t* status = nullptr) {
    if (instance_ == nullptr) {
      const auto refused = create();
      EXPECT_FALSE(refused) << *refused;
    }
    ParamValues params;
    params.floats = {{"quantile", 0.99}, {"threshold_ms", 100}, {"threshold_percent", 70}};
    params.durations_ms = {{"rate_window", 60'000}};
    params.bools = {{"include_tombstone", false}};
    RunRecord result;
    result.answers = &answers_;
    const int32_t outcome =
        pack_->run(instance_, check(name), reinterpret_cast<const op_params*>(&params),
                   reinterpret_cast<op_run*>(&result));
    if (status != nullptr) *status = outcome;
    EXPECT_EQ(outcome == OP_RUN_FAILED, !result.failure.empty()) << result.failure;
    return result;
  }

  std::vector<std::string> warnings() const {
    std::vector<std::string> out;
    for (const auto& [level, message] : host_.logs) {
      if (level == OP_LOG_WARNING) out.push_back(message);
    }
    return out;
  }

  static inline TikvPackAbi* current_ = nullptr;
  void* library_ = nullptr;
  const op_pack_descriptor* pack_ = nullptr;
  op_host_api api_{};
  HostRecord host_;
  ParamValues target_;
  op_pack_instance* instance_ = nullptr;
  std::map<std::string, Answer> answers_;
};

constexpr const char* kStores = "http://pd.test/pd/api/v1/stores";
constexpr const char* kLatency = "http://prom.test/api/v1/query?query=histogram_quantile";
constexpr const char* kDisk = "http://prom.test/api/v1/query?query=sum";

TEST_F(TikvPackAbi, TheTableDeclaresTheBoundsTheHostEnforces) {
  const auto bounds = [](const op_param_def& p) {
    return std::string(p.min_value != nullptr ? p.min_value : "-") + ".." +
           (p.max_value != nullptr ? p.max_value : "-") + " " + std::to_string(p.bounds);
  };
  const op_check_def& latency = pack_->checks[check("latency")];
  EXPECT_EQ(bounds(param(latency.params, latency.param_count, "quantile")),
            "0..1 " + std::to_string(OP_PARAM_MIN_EXCLUSIVE | OP_PARAM_MAX_EXCLUSIVE));
  EXPECT_EQ(bounds(param(latency.params, latency.param_count, "rate_window")),
            "0s..- " + std::to_string(OP_PARAM_MIN_EXCLUSIVE));
  EXPECT_EQ(bounds(param(latency.params, latency.param_count, "threshold_ms")), "0..- 0");
  const op_check_def& disk = pack_->checks[check("disk_space")];
  EXPECT_EQ(bounds(param(disk.params, disk.param_count, "threshold_percent")), "0..100 0");
  EXPECT_EQ(bounds(param(pack_->params, pack_->param_count, "store_list_max_age")), "0s..- 0");
}

TEST_F(TikvPackAbi, CreateNamesTheParameterItRefuses) {
  opr::test::TempDir dir;
  opr::test::write_file(dir / "token", "t0ken\n");
  opr::test::write_file(dir / "blank", " \n");
  struct Case {
    std::map<std::string, std::string> set;
    std::string param;
    std::string said;
  };
  const std::vector<Case> cases = {
      {{{"pd_endpoint", "ftp://pd.test"}}, "pd_endpoint", "PD_ENDPOINT"},
      {{{"prometheus_url", "prom.test:9090"}}, "prometheus_url", "PROMETHEUS_URL"},
      {{{"prometheus_bearer_token_file", (dir / "token").string()},
        {"prometheus_username", "operator"},
        {"prometheus_password_file", (dir / "token").string()}},
       "prometheus_bearer_token_file",
       "not both"},
      {{{"prometheus_username", "operator"}}, "prometheus_password_file", "basic auth needs both"},
      {{{"prometheus_bearer_token_file", (dir / "missing").string()}},
       "prometheus_bearer_token_file",
       "cannot read prometheus_bearer_token_file"},
      {{{"prometheus_bearer_token_file", (dir / "blank").string()}},
       "prometheus_bearer_token_file",
       "is empty"},
  };
  const ParamValues base = target_;
  for (const Case& c : cases) {
    target_ = base;
    for (const auto& [name, value] : c.set) target_.strings[name] = value;
    host_.invalid_param.clear();
    const auto refused = create();
    ASSERT_TRUE(refused) << c.param;
    EXPECT_EQ(host_.invalid_param, c.param);
    EXPECT_NE(refused->find(c.said), std::string::npos) << *refused;
  }
  target_ = base;
  target_.strings["prometheus_bearer_token_file"] = (dir / "token").string();
  EXPECT_FALSE(create());
}

TEST_F(TikvPackAbi, EachUnknownStoreIsReportedWithItsReasonAndOneWarningForAll) {
  // Stores 1, 4, 5 Up at 10.0.1.11 to .13: 1 idle, 4 slow, 5 without a series.
  answers_[kStores] = {200, test::fixture("pd/pd_stores_healthy.json")};
  answers_[kLatency] = {200, test::vector_answer({{"10.0.1.11:20180", "", "NaN"},
                                                  {"10.0.1.12:20180", "", "0.2"},
                                                  {"10.9.9.9:20180", "", "0.001"}})};
  int32_t status = -1;
  const RunRecord result = run("latency", &status);
  EXPECT_EQ(status, OP_RUN_OK) << result.failure;
  EXPECT_EQ(result.violations, std::vector<std::string>{"4"});
  ASSERT_EQ(result.unknown.size(), 2u);
  EXPECT_EQ(result.unknown[0].first, "1");
  EXPECT_EQ(result.unknown[0].second,
            "store 1's P99 latency is NaN: no gRPC requests in the last 1m (an idle histogram), "
            "nothing to evaluate");
  EXPECT_EQ(result.unknown[1].first, "5");
  EXPECT_EQ(result.unknown[1].second,
            "no tikv_grpc_msg_duration_seconds series for store 5 (instance 10.0.1.13:20180)");
  EXPECT_EQ(result.facts.at("stores_expected"), "3");
  EXPECT_EQ(result.facts.at("stores_with_metrics"), "2");
  EXPECT_EQ(result.facts.at("stores_unknown"), "2");
  EXPECT_EQ(result.facts.at("stores_unknown_ids"), "1,5");
  EXPECT_EQ(result.facts.at("unmatched_series"), "1");
  EXPECT_EQ(result.facts.count("stores_without_metrics"), 0u);
  const auto logged = warnings();
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].rfind("latency: 2 of 3 stores not evaluated", 0), 0u) << logged[0];
}

TEST_F(TikvPackAbi, EveryStoreUnknownFailsTheRunSayingWhy) {
  answers_[kStores] = {200, test::fixture("pd/pd_stores_healthy.json")};
  answers_[kDisk] = {200, test::vector_answer({{"10.0.1.11:20180", "capacity", "0"},
                                               {"10.0.1.11:20180", "available", "0"},
                                               {"10.0.1.12:20180", "capacity", "100"},
                                               {"10.0.1.12:20180", "available", "NaN"},
                                               {"10.0.1.13:20180", "capacity", "100"}})};
  int32_t status = -1;
  const RunRecord result = run("disk_space", &status);
  EXPECT_EQ(status, OP_RUN_FAILED);
  EXPECT_EQ(result.failure.rfind("no store could be evaluated: all 3 stores are unknown: ", 0), 0u)
      << result.failure;
  EXPECT_TRUE(result.unknown.empty());
  EXPECT_TRUE(result.violations.empty());
}

TEST_F(TikvPackAbi, OnAHostWithoutRunUnknownAnUnknownStoreFailsTheRun) {
  api_.struct_size = offsetof(op_host_api, run_unknown);  // a 1.1 host's table
  answers_[kStores] = {200, test::fixture("pd/pd_stores_healthy.json")};
  answers_[kLatency] = {200, test::vector_answer({{"10.0.1.11:20180", "", "0.001"},
                                                  {"10.0.1.12:20180", "", "0.001"}})};
  int32_t status = -1;
  const RunRecord result = run("latency", &status);
  EXPECT_EQ(status, OP_RUN_FAILED);
  EXPECT_EQ(result.failure,
            "could not evaluate 5: no tikv_grpc_msg_duration_seconds series for store 5 "
            "(instance 10.0.1.13:20180)");
}

TEST_F(TikvPackAbi, PdListingNoStoresFailsEveryCheck) {
  answers_[kLatency] = {200, test::vector_answer({})};
  answers_[kDisk] = {200, test::vector_answer({})};
  for (const std::string body : {R"({"count":0,"stores":null})", R"({"count":0,"stores":[]})",
                                 R"({"stores":[]})", "[]", "null"}) {
    answers_[kStores] = {200, body};
    for (const char* name : {"store_up", "latency", "disk_space"}) {
      int32_t status = -1;
      const RunRecord result = run(name, &status);
      EXPECT_EQ(status, OP_RUN_FAILED) << name << " " << body;
      EXPECT_EQ(result.failure,
                "PD GET http://pd.test/pd/api/v1/stores lists no stores; a cluster without stores "
                "is not monitored (is this the right PD?)")
          << name << " " << body;
    }
  }
}

}  // namespace
}  // namespace opr::tikv
