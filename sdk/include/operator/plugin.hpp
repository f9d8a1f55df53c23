// Header-only C++ helpers over plugin.h: write one class per check, register
// them in one place, and let this header speak the C ABI.
//
//   struct MyTarget {                       // per-target state (or opr::sdk::NoTarget)
//     MyTarget(const opr::sdk::Host& host, const opr::sdk::Params& params);
//   };
//   class MyCheck : public opr::sdk::Check<MyTarget> {
//     void run(MyTarget& target, opr::sdk::Run& run) override;
//   };
//   const opr::sdk::Pack<MyTarget>& my_pack() {
//     static const opr::sdk::Pack<MyTarget> pack =
//         opr::sdk::PackBuilder<MyTarget>("my_pack", "1.0.0", "What it watches")
//             .check<MyCheck>({.name = "my_check", .description = "...",
//                              .severity = OP_SEVERITY_WARNING})
//             .build();
//     return pack;
//   }
//   OPR_EXPORT_PACK(my_pack)
//
// Every exception thrown by a constructor or a run is caught at the boundary:
// a throwing constructor makes instance creation fail with its message
// (throw opr::sdk::ParamError to say which parameter is wrong), a throwing
// run becomes a failed run (throw opr::sdk::CheckFailed to say why, and
// CheckFailed(message, cause) to name the dependency that failed, ABI 1.3).
// A run that could not see some subjects says so with Run::unknown.
#pragma once

#include <operator/plugin.h>
#include <operator/json_number.hpp>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace opr::sdk {

// Throw from a run to end it as failed with this message. With a cause
// (ABI 1.3 run_fail_cause), the dependency whose failure it is, e.g.
// "pd:http://pd:2379": the host then opens one ticket for the cause, shared
// by every check of the target that fails for it. A cause is stable from
// run to run and holds no credentials; "" names none.
class CheckFailed : public std::runtime_error {
 public:
  explicit CheckFailed(const std::string& message) : std::runtime_error(message) {}
  explicit CheckFailed(const char* message) : std::runtime_error(message) {}
  CheckFailed(const std::string& message, std::string cause)
      : std::runtime_error(message), cause_(std::move(cause)) {}
  const std::string& cause() const { return cause_; }

 private:
  std::string cause_;
};

// Throw from a Target's constructor when a pack-level parameter's value
// cannot be used: instance creation fails with the message, and the host
// points the user at the line of the config that set `param` (ABI 1.2).
class ParamError : public std::runtime_error {
 public:
  ParamError(std::string param, const std::string& message)
      : std::runtime_error(message), param_(std::move(param)) {}
  const std::string& param() const { return param_; }

 private:
  std::string param_;
};

// The host's logging and clocks, valid for the life of an instance.
class Host {
 public:
  explicit Host(const op_host_api* api) : api_(api) {}

  void log(op_log_level level, const std::string& message) const {
    api_->log(api_->host, level, message.c_str());
  }
  void debug(const std::string& m) const { log(OP_LOG_DEBUG, m); }
  void info(const std::string& m) const { log(OP_LOG_INFO, m); }
  void warning(const std::string& m) const { log(OP_LOG_WARNING, m); }
  void error(const std::string& m) const { log(OP_LOG_ERROR, m); }

  int64_t now_unix_ms() const { return api_->now_unix_ms(api_->host); }
  std::chrono::nanoseconds monotonic() const {
    return std::chrono::nanoseconds(api_->now_monotonic_ns(api_->host));
  }
  const op_host_api* api() const { return api_; }

 private:
  const op_host_api* api_;
};

// Resolved parameter values (user's config, defaults applied). The typed
// getters throw CheckFailed when a parameter is unset; the optional_ ones
// return std::nullopt instead.
class Params {
 public:
  Params(const op_host_api* api, const op_params* params) : api_(api), params_(params) {}

  std::optional<std::string> optional_string(const char* name) const {
    const char* out = nullptr;
    if (api_->param_get_string(params_, name, &out) == 0) return std::nullopt;
    return std::string(out);
  }
  std::optional<int64_t> optional_integer(const char* name) const {
    int64_t out = 0;
    if (api_->param_get_int(params_, name, &out) == 0) return std::nullopt;
    return out;
  }
  std::optional<double> optional_number(const char* name) const {
    double out = 0;
    if (api_->param_get_float(params_, name, &out) == 0) return std::nullopt;
    return out;
  }
  std::optional<bool> optional_boolean(const char* name) const {
    int32_t out = 0;
    if (api_->param_get_bool(params_, name, &out) == 0) return std::nullopt;
    return out != 0;
  }
  std::optional<std::chrono::milliseconds> optional_duration(const char* name) const {
    uint64_t out = 0;
    if (api_->param_get_duration_ms(params_, name, &out) == 0) return std::nullopt;
    return std::chrono::milliseconds(static_cast<int64_t>(out));
  }

  std::string string(const char* name) const { return required(optional_string(name), name); }
  int64_t integer(const char* name) const { return required(optional_integer(name), name); }
  double number(const char* name) const { return required(optional_number(name), name); }
  bool boolean(const char* name) const { return required(optional_boolean(name), name); }
  std::chrono::milliseconds duration(const char* name) const {
    return required(optional_duration(name), name);
  }
  std::vector<std::string> string_list(const char* name) const {
    std::vector<std::string> items;
    const uint32_t size = api_->param_list_size(params_, name);
    items.reserve(size);
    for (uint32_t i = 0; i < size; ++i) {
      const char* out = nullptr;
      if (api_->param_list_item(params_, name, i, &out) != 0) items.emplace_back(out);
    }
    return items;
  }

 private:
  template <typename T>
  static T required(std::optional<T> value, const char* name) {
    if (!value) throw CheckFailed(std::string("parameter '") + name + "' is not set");
    return std::move(*value);
  }

  const op_host_api* api_;
  const op_params* params_;
};

// A key/value fact for a ticket's metric snapshot.
struct Fact {
  std::string key;
  std::string value;
  bool is_number = false;

  static Fact text(std::string key, std::string value) {
    return {std::move(key), std::move(value), false};
  }
  // JSON has no NaN or infinity: those travel as text (json_number.hpp).
  static Fact number(std::string key, double value) {
    if (auto text = json_number_text(value)) return {std::move(key), std::move(*text), true};
    return {std::move(key), value != value ? "NaN" : (value > 0 ? "+Inf" : "-Inf"), false};
  }
  static Fact integer(std::string key, int64_t value) {
    return {std::move(key), std::to_string(value), true};
  }
};

// An HTTP request for Run::http and Run::http_stream.
struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{0};  // 0: the rest of the run's timeout
};

// A response owned by the host, valid until the run returns.
class HttpResponse {
 public:
  explicit HttpResponse(const op_http_response* response) : response_(response) {}

  bool ok() const { return response_->ok != 0; }  // a response arrived
  int status() const { return response_->status; }
  std::string_view body() const { return {response_->body, response_->body_len}; }
  std::string_view error() const { return response_->error; }
  std::chrono::milliseconds elapsed() const {
    return std::chrono::milliseconds(response_->elapsed_ms);
  }
  // The value of a header (name in lower case), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const {
    for (uint32_t i = 0; i < response_->header_count; ++i) {
      if (name == response_->headers[i].name) return std::string_view(response_->headers[i].value);
    }
    return std::nullopt;
  }
  const op_http_response* raw() const { return response_; }

 private:
  const op_http_response* response_;
};

// One run of one check: its parameters, its HTTP access and its reports.
class Run {
 public:
  Run(const op_host_api* api, const op_params* params, op_run* run)
      : api_(api), params_(api, params), run_(run) {}

  const Params& params() const { return params_; }
  Host host() const { return Host(api_); }

  HttpResponse http(const HttpRequest& request) {
    return with_raw(request, [&](const op_http_request& raw) {
      return HttpResponse(api_->http_request(run_, &raw));
    });
  }
  HttpResponse http_get(std::string url) {
    HttpRequest request;
    request.url = std::move(url);
    return http(request);
  }

  // Like http(), but a 2xx body is handed to `on_piece` piece by piece as it
  // arrives and never held whole (ABI 1.1): for answers too large to keep.
  // Pieces are in order, never empty, and valid only during the call (not
  // NUL-terminated, not padded). The response's body() is then empty. Any
  // other status keeps its body in the response (e.g. the server's error
  // text) and never calls `on_piece`. When the transfer fails after pieces
  // arrived (timeout, cancellation, size cap), the response is !ok(): drop
  // what was built from them. An exception thrown by `on_piece` stops the
  // transfer and is rethrown from here, as itself, once the host returns.
  HttpResponse http_stream(const HttpRequest& request,
                           const std::function<void(std::string_view)>& on_piece) {
    if (!OP_HOST_API_HAS(api_, http_stream) || api_->http_stream == nullptr) {
      throw CheckFailed("this operator-host (ABI " + std::to_string(api_->abi_major) + "." +
                        std::to_string(api_->abi_minor) +
                        ") cannot stream a response body; it needs ABI 1.1");
    }
    StreamState stream{&on_piece, nullptr};
    HttpResponse response = with_raw(request, [&](const op_http_request& raw) {
      return HttpResponse(api_->http_stream(run_, &raw, &Run::deliver_piece, &stream));
    });
    if (stream.error) std::rethrow_exception(stream.error);
    return response;
  }

  // Report one current violation. severity 0: the check's configured one.
  void report(const std::string& subject, const std::string& message,
              const std::vector<Fact>& facts = {}, op_severity severity = op_severity{}) {
    std::vector<op_fact> raw_facts;
    raw_facts.reserve(facts.size());
    for (const auto& f : facts) raw_facts.push_back({f.key.c_str(), f.value.c_str(), f.is_number});
    op_violation v{};
    v.struct_size = sizeof v;
    v.subject = subject.c_str();
    v.message = message.c_str();
    v.severity = severity;
    v.facts = raw_facts.empty() ? nullptr : raw_facts.data();
    v.fact_count = static_cast<uint32_t>(raw_facts.size());
    api_->run_report(run_, &v);
  }

  // A fact about the run as a whole.
  void fact(const Fact& f) {
    op_fact raw{f.key.c_str(), f.value.c_str(), f.is_number};
    api_->run_fact(run_, &raw);
  }

  // This run could not evaluate `subject` (ABI 1.2): the host keeps its
  // ticket exactly as it was instead of reading the silence as health.
  // `reason` is for humans. A subject also reported counts as reported.
  void unknown(const std::string& subject, const std::string& reason) {
    if (!OP_HOST_API_HAS(api_, run_unknown) || api_->run_unknown == nullptr) {
      // A 1.1 host would read the subject as healthy: fail the run instead.
      throw CheckFailed("could not evaluate " + (subject.empty() ? "the target" : subject) + ": " +
                        reason);
    }
    api_->run_unknown(run_, subject.c_str(), reason.c_str());
  }

  bool cancelled() const { return api_->run_cancelled(run_) != 0; }

  op_run* raw() const { return run_; }

 private:
  struct StreamState {
    const std::function<void(std::string_view)>* on_piece;
    std::exception_ptr error;  // thrown by on_piece; rethrown after the host returns
  };

  // The op_pack_http_body_fn behind http_stream: no exception crosses the ABI.
  static int32_t deliver_piece(void* user, const char* data, size_t len) noexcept {
    auto* stream = static_cast<StreamState*>(user);
    try {
      (*stream->on_piece)(std::string_view(data, len));
      return 1;
    } catch (...) {
      stream->error = std::current_exception();
      return 0;
    }
  }

  // Calls fn with `request` as plugin.h's struct, valid during the call.
  template <typename Fn>
  static HttpResponse with_raw(const HttpRequest& request, Fn&& fn) {
    std::vector<op_http_header> headers;
    headers.reserve(request.headers.size());
    for (const auto& [name, value] : request.headers)
      headers.push_back({name.c_str(), value.c_str()});
    op_http_request raw{};
    raw.struct_size = sizeof raw;
    raw.method = request.method.c_str();
    raw.url = request.url.c_str();
    raw.headers = headers.empty() ? nullptr : headers.data();
    raw.header_count = static_cast<uint32_t>(headers.size());
    raw.body = request.body.empty() ? nullptr : request.body.data();
    raw.body_len = request.body.size();
    raw.timeout_ms = static_cast<uint64_t>(request.timeout.count());
    return fn(raw);
  }

  const op_host_api* api_;
  Params params_;
  op_run* run_;
};

// Per-target state for packs that need none.
struct NoTarget {
  NoTarget(const Host&, const Params&) {}
};

// One check. A fresh object is made per target, so members may hold state
// between runs of that target; runs of one target never overlap.
template <typename Target>
class Check {
 public:
  virtual ~Check() = default;
  // Evaluate the invariant; report violations through `run`. Throw (any
  // exception, ideally CheckFailed) when the system could not be evaluated.
  virtual void run(Target& target, Run& run) = 0;
};

// How a parameter is declared. default_value, min_value and max_value use
// the text forms of plugin.h's op_param_def ("100", "0.99", "1m"). The host
// refuses a value outside [min_value, max_value] (or the open ends, with
// min_exclusive / max_exclusive) before anything runs.
struct ParamSpec {
  std::string name{};
  op_param_type type = OP_PARAM_STRING;
  std::optional<std::string> default_value{};
  bool required = false;
  std::string doc{};
  std::optional<std::string> min_value{};
  std::optional<std::string> max_value{};
  bool min_exclusive = false;
  bool max_exclusive = false;
};

// How a check is declared.
struct CheckSpec {
  std::string name{};
  std::string description{};
  op_severity severity = OP_SEVERITY_WARNING;
  std::chrono::milliseconds interval{0};  // 0: the host's default
  std::chrono::milliseconds grace{0};
  std::vector<ParamSpec> params{};
};

template <typename Target>
class PackBuilder;

// A built pack: the C descriptor and the storage its pointers point into.
template <typename Target>
class Pack {
 public:
  const op_pack_descriptor* descriptor() const { return &descriptor_; }

  Pack(Pack&&) = delete;  // the descriptor points into this object

 private:
  friend class PackBuilder<Target>;
  using Factory = std::unique_ptr<Check<Target>> (*)();

  struct CheckEntry {
    CheckSpec spec;
    Factory factory;
    std::vector<op_param_def> raw_params;
  };

  struct Instance {
    const op_host_api* api;
    std::unique_ptr<Target> target;
    std::vector<std::unique_ptr<Check<Target>>> checks;
  };

  Pack(std::string name, std::string version, std::string description,
       std::vector<ParamSpec> params, std::deque<CheckEntry> checks)
      : name_(std::move(name)),
        version_(std::move(version)),
        description_(std::move(description)),
        params_(std::move(params)),
        checks_(std::move(checks)) {
    raw_params_ = to_raw(params_);
    for (auto& entry : checks_) {
      entry.raw_params = to_raw(entry.spec.params);
      op_check_def def{};
      def.struct_size = sizeof def;
      def.name = entry.spec.name.c_str();
      def.description = entry.spec.description.c_str();
      def.default_severity = entry.spec.severity;
      def.default_interval_ms = static_cast<uint64_t>(entry.spec.interval.count());
      def.default_grace_ms = static_cast<uint64_t>(entry.spec.grace.count());
      def.params = entry.raw_params.empty() ? nullptr : entry.raw_params.data();
      def.param_count = static_cast<uint32_t>(entry.raw_params.size());
      raw_checks_.push_back(def);
    }
    descriptor_.struct_size = sizeof descriptor_;
    descriptor_.abi_major = OP_ABI_MAJOR;
    descriptor_.abi_minor = OP_ABI_MINOR;
    descriptor_.name = name_.c_str();
    descriptor_.version = version_.c_str();
    descriptor_.description = description_.c_str();
    descriptor_.params = raw_params_.empty() ? nullptr : raw_params_.data();
    descriptor_.param_count = static_cast<uint32_t>(raw_params_.size());
    descriptor_.checks = raw_checks_.data();
    descriptor_.check_count = static_cast<uint32_t>(raw_checks_.size());
    descriptor_.create = &Pack::create;
    descriptor_.destroy = &Pack::destroy;
    descriptor_.run = &Pack::run;
    current() = this;
  }

  static std::vector<op_param_def> to_raw(const std::vector<ParamSpec>& specs) {
    std::vector<op_param_def> raw;
    raw.reserve(specs.size());
    for (const auto& spec : specs) {
      op_param_def def{};
      def.struct_size = sizeof def;
      def.name = spec.name.c_str();
      def.type = spec.type;
      def.default_value = spec.default_value ? spec.default_value->c_str() : nullptr;
      def.required = spec.required ? 1 : 0;
      def.doc = spec.doc.c_str();
      def.min_value = spec.min_value ? spec.min_value->c_str() : nullptr;
      def.max_value = spec.max_value ? spec.max_value->c_str() : nullptr;
      def.bounds = (spec.min_exclusive ? OP_PARAM_MIN_EXCLUSIVE : 0u) |
                   (spec.max_exclusive ? OP_PARAM_MAX_EXCLUSIVE : 0u);
      raw.push_back(def);
    }
    return raw;
  }

  // The one Pack of this Target type in this library; plain pointer, so no
  // static-initialization order is involved.
  static const Pack*& current() {
    static const Pack* pack = nullptr;
    return pack;
  }

  static void copy_error(const char* message, char* error, size_t error_len) {
    if (error == nullptr || error_len == 0) return;
    std::strncpy(error, message, error_len - 1);
    error[error_len - 1] = '\0';
  }

  static op_pack_instance* create(const op_host_api* api, const op_params* params, char* error,
                                  size_t error_len) noexcept {
    try {
      auto instance = std::make_unique<Instance>();
      instance->api = api;
      const Host host(api);
      const Params pack_params(api, params);
      instance->target = std::make_unique<Target>(host, pack_params);
      for (const auto& entry : current()->checks_) instance->checks.push_back(entry.factory());
      return reinterpret_cast<op_pack_instance*>(instance.release());
    } catch (const ParamError& e) {
      if (OP_HOST_API_HAS(api, param_invalid) && api->param_invalid != nullptr) {
        api->param_invalid(params, e.param().c_str());
      }
      copy_error(e.what(), error, error_len);
    } catch (const std::exception& e) {
      copy_error(e.what(), error, error_len);
    } catch (...) {
      copy_error("unknown exception while creating the instance", error, error_len);
    }
    return nullptr;
  }

  static void destroy(op_pack_instance* instance) noexcept {
    delete reinterpret_cast<Instance*>(instance);
  }

  static int32_t run(op_pack_instance* raw_instance, uint32_t check_index,
                     const op_params* check_params, op_run* raw_run) noexcept {
    auto* instance = reinterpret_cast<Instance*>(raw_instance);
    const op_host_api* api = instance->api;
    try {
      if (check_index >= instance->checks.size()) throw CheckFailed("no such check");
      Run run(api, check_params, raw_run);
      instance->checks[check_index]->run(*instance->target, run);
      return OP_RUN_OK;
    } catch (const CheckFailed& e) {
      fail(api, raw_run, e.cause(), e.what());
    } catch (const std::exception& e) {
      api->run_fail(raw_run, e.what());
    } catch (...) {
      api->run_fail(raw_run, "unknown exception");
    }
    return OP_RUN_FAILED;
  }

  // run_fail, naming `cause` when there is one and the host takes it (a
  // host older than 1.3 refuses this pack; the check is for safety).
  static void fail(const op_host_api* api, op_run* raw_run, const std::string& cause,
                   const char* message) noexcept {
    if (!cause.empty() && OP_HOST_API_HAS(api, run_fail_cause) && api->run_fail_cause != nullptr) {
      api->run_fail_cause(raw_run, cause.c_str(), message);
    } else {
      api->run_fail(raw_run, message);
    }
  }

  std::string name_, version_, description_;
  std::vector<ParamSpec> params_;
  std::deque<CheckEntry> checks_;
  std::vector<op_param_def> raw_params_;
  std::vector<op_check_def> raw_checks_;
  op_pack_descriptor descriptor_{};
};

// Declares a pack: its identity, pack-level parameters and checks.
template <typename Target>
class PackBuilder {
 public:
  PackBuilder(std::string name, std::string version, std::string description)
      : name_(std::move(name)),
        version_(std::move(version)),
        description_(std::move(description)) {}

  PackBuilder& param(ParamSpec spec) {
    params_.push_back(std::move(spec));
    return *this;
  }

  template <typename CheckT>
  PackBuilder& check(CheckSpec spec) {
    static_assert(std::is_base_of_v<Check<Target>, CheckT>, "a check derives from Check<Target>");
    checks_.push_back(
        {std::move(spec),
         []() -> std::unique_ptr<Check<Target>> { return std::make_unique<CheckT>(); },
         {}});
    return *this;
  }

  // Only valid as the initializer of a static Pack (guaranteed copy elision).
  Pack<Target> build() {
    return Pack<Target>(std::move(name_), std::move(version_), std::move(description_),
                        std::move(params_), std::move(checks_));
  }

 private:
  std::string name_, version_, description_;
  std::vector<ParamSpec> params_;
  std::deque<typename Pack<Target>::CheckEntry> checks_;
};

}  // namespace opr::sdk

// Exports the entry symbol for the pack returned by `pack_function`, a
// function returning a reference to a function-local static Pack<Target>
// (built on the first call, so no work happens at load time).
#define OPR_EXPORT_PACK(pack_function) \
  OP_PACK_ENTRY() { return (pack_function)().descriptor(); }
