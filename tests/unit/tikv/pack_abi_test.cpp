// The built pack (packs/tikv.so) on a host of an older ABI: a small in-test
// host presents a 1.1 services table (no run_unknown, no param_invalid) and
// answers PD and Prometheus from canned bodies. That is the one thing this
// build's host cannot do; everything else the pack does is tested through
// the host's own PackInstance (tests/integration/tikv/pack_*_test.cpp).
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <operator/plugin.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
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
  std::vector<std::string> violations;  // subjects
  std::string failure;
  std::string cause;  // run_fail_cause's (ABI 1.3)
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

// A host of ABI 1.1: its table ends before run_unknown and param_invalid.
class TikvPackOnAnOlderHost : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string file = (opr::test::packs_dir() / "tikv.so").string();
    library_ = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(library_, nullptr) << dlerror();
    const auto entry = reinterpret_cast<op_pack_entry_fn>(dlsym(library_, OP_PACK_ENTRY_SYMBOL));
    ASSERT_NE(entry, nullptr);
    pack_ = entry();

    api_.struct_size = offsetof(op_host_api, run_unknown);
    api_.abi_major = OP_ABI_MAJOR;
    api_.abi_minor = 1;
    api_.log = [](op_host*, int32_t, const char*) {};
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
    api_.run_fact = [](op_run*, const op_fact*) {};
    api_.run_fail = [](op_run* run, const char* message) { as<RunRecord>(run)->failure = message; };
    api_.run_cancelled = [](op_run*) { return int32_t{0}; };
    // Beyond struct_size: a pack that called them would fail the test.
    api_.run_unknown = [](op_run*, const char*, const char*) {
      ADD_FAILURE() << "run_unknown called on a 1.1 host";
    };
    api_.param_invalid = [](const op_params*, const char*) {
      ADD_FAILURE() << "param_invalid called on a 1.1 host";
    };
    api_.run_fail_cause = [](op_run*, const char*, const char*) {
      ADD_FAILURE() << "run_fail_cause called on a 1.1 host";
    };

    target_.strings = {{"pd_endpoint", "http://pd.test"}, {"prometheus_url", "http://prom.test"}};
    target_.durations_ms = {{"store_list_max_age", 0}};
  }

  void TearDown() override {
    if (instance_ != nullptr) pack_->destroy(instance_);
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

  // One run of `name` with the check's default parameters; its status in
  // `status`.
  RunRecord run(const std::string& name, int32_t* status) {
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
    *status = pack_->run(instance_, check(name), reinterpret_cast<const op_params*>(&params),
                         reinterpret_cast<op_run*>(&result));
    EXPECT_EQ(*status == OP_RUN_FAILED, !result.failure.empty()) << result.failure;
    return result;
  }

  void* library_ = nullptr;
  const op_pack_descriptor* pack_ = nullptr;
  op_host_api api_{};
  ParamValues target_;
  op_pack_instance* instance_ = nullptr;
  std::map<std::string, Answer> answers_;
};

constexpr const char* kStores = "http://pd.test/pd/api/v1/stores";
constexpr const char* kLatency = "http://prom.test/api/v1/query?query=histogram_quantile";

// A 1.1 host would read a store left out of the run as healthy: the pack
// fails the run instead, naming the store.
TEST_F(TikvPackOnAnOlderHost, AnUnknownStoreFailsTheRun) {
  answers_[kStores] = {200, test::fixture("pd/pd_stores_healthy.json")};
  answers_[kLatency] = {200, test::vector_answer({{"10.0.1.11:20180", "", "0.001"},
                                                  {"10.0.1.12:20180", "", "0.001"}})};
  int32_t status = -1;
  const RunRecord result = run("latency", &status);
  EXPECT_EQ(status, OP_RUN_FAILED);
  EXPECT_EQ(result.failure,
            "could not evaluate 5: no tikv_grpc_msg_duration_seconds series for store 5 "
            "(instance 10.0.1.13:20180)");
  EXPECT_TRUE(result.violations.empty());
}

// Without run_fail_cause PD's failure is a plain failure, as before 1.3.
TEST_F(TikvPackOnAnOlderHost, APdFailureFailsWithoutACause) {
  answers_[kStores] = {500, "\"[PD:cluster:ErrNotBootstrapped]\""};
  int32_t status = -1;
  const RunRecord result = run("disk_space", &status);
  EXPECT_EQ(status, OP_RUN_FAILED);
  EXPECT_TRUE(result.failure.starts_with(std::string("PD GET ") + kStores)) << result.failure;
  EXPECT_TRUE(result.failure.ends_with(" answered HTTP 500: [PD:cluster:ErrNotBootstrapped]"))
      << result.failure;
}

// A host of this ABI: the same table, whole, with run_fail_cause.
class TikvPackOnThisHost : public TikvPackOnAnOlderHost {
 protected:
  void SetUp() override {
    TikvPackOnAnOlderHost::SetUp();
    api_.struct_size = sizeof api_;
    api_.abi_minor = OP_ABI_MINOR;
    api_.run_unknown = [](op_run*, const char*, const char*) {};
    api_.run_fail_cause = [](op_run* run, const char* cause, const char* message) {
      as<RunRecord>(run)->failure = message;
      as<RunRecord>(run)->cause = cause;
    };
  }
};

// PD's and Prometheus' failures name them, credentials left out; a query
// Prometheus refuses is the check's own failure.
TEST_F(TikvPackOnThisHost, FailuresNameTheServiceThatFailedAsTheirCause) {
  target_.strings["prometheus_url"] = "http://operator:secret@prom.test";
  answers_[kStores] = {500, "\"[PD:cluster:ErrNotBootstrapped]\""};
  int32_t status = -1;
  EXPECT_EQ(run("disk_space", &status).cause, "pd:http://pd.test");

  answers_[kStores] = {200, test::fixture("pd/pd_stores_healthy.json")};
  const std::string query = "http://operator:secret@prom.test/api/v1/query";
  answers_[query] = {503, "Service Unavailable"};
  RunRecord failed = run("disk_space", &status);
  EXPECT_EQ(status, OP_RUN_FAILED);
  EXPECT_EQ(failed.cause, "prometheus:http://***@prom.test") << failed.failure;

  answers_[query] = {200, R"({"status":"error","errorType":"bad_data","error":"parse error"})"};
  failed = run("disk_space", &status);
  EXPECT_EQ(status, OP_RUN_FAILED);
  EXPECT_TRUE(failed.failure.find("refused the query") != std::string::npos) << failed.failure;
  EXPECT_EQ(failed.cause, "");
}

// Without param_invalid the refusal still comes, in words.
TEST_F(TikvPackOnAnOlderHost, ARefusedParameterIsRefusedWithoutNamingItToTheHost) {
  target_.strings["pd_endpoint"] = "ftp://pd.test";
  const auto refused = create();
  ASSERT_TRUE(refused);
  EXPECT_EQ(*refused,
            "'pd_endpoint' (or PD_ENDPOINT) must be an http:// or https:// URL, got "
            "'ftp://pd.test'");
}

}  // namespace
}  // namespace opr::tikv
