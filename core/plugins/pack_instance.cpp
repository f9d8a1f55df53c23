#include "plugins/pack_instance.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <operator/json_number.hpp>

#include "common/severity.h"
#include "common/subject_reports.h"
#include "http/client.h"
#include "http/exchange.h"
#include "plugins/descriptor_validation.h"

namespace opr::plugins {
namespace {

using Clock = std::chrono::steady_clock;

// Everything a run's host functions touch, behind the opaque op_run*.
struct StoredResponse {
  http::Response response;  // body padded with OP_HTTP_BODY_PADDING zeros
  std::vector<op_http_header> headers;
  op_http_response raw{};
};

struct RunState {
  RunState(const http::Client* client, RunControl* run_control)
      : http(client), control(run_control) {}

  const http::Client* http;
  RunControl* control;
  // As the pack called; RunResult keeps one per subject (subject_reports.h).
  std::vector<ReportedViolation> violations;
  std::vector<UnknownSubject> unknown;
  std::vector<Fact> facts;
  std::optional<std::string> failure;     // from run_fail or run_fail_cause
  std::string cause;                      // from run_fail_cause; "" for none
  std::optional<std::string> abi_misuse;  // the pack broke a rule of plugin.h
  std::deque<StoredResponse> responses;   // stable addresses until the run ends
};

RunState* state_of(op_run* run) { return reinterpret_cast<RunState*>(run); }
const ParamMap* params_of(const op_params* params) {
  return reinterpret_cast<const ParamMap*>(params);
}
const op_params* as_params(const ParamMap& params) {
  return reinterpret_cast<const op_params*>(&params);
}

// What is wrong with a fact whose key or value is NULL (plugin.h: pointers
// are never NULL), or nullptr when neither is; `of_violation` says whether
// the pack passed it to run_report or to run_fact.
const char* null_in_fact(const op_fact& raw, bool of_violation) {
  if (raw.key == nullptr) {
    return of_violation ? "run_report: a fact's key must not be NULL"
                        : "run_fact: the fact's key must not be NULL";
  }
  if (raw.value == nullptr) {
    return of_violation ? "run_report: a fact's value must not be NULL"
                        : "run_fact: the fact's value must not be NULL";
  }
  return nullptr;
}

// A fact whose value is not a finite JSON number travels as text. Its key
// and value are not NULL (null_in_fact).
Fact to_fact(const op_fact& raw) {
  Fact fact{raw.key, raw.value, raw.is_number != 0};
  fact.is_number = fact.is_number && sdk::is_finite_json_number(fact.value);
  return fact;
}

template <typename T, typename Fn>
int32_t read_param(const op_params* params, const char* name, T* out, Fn convert) noexcept {
  if (params == nullptr || name == nullptr || out == nullptr) return 0;
  const ParamMap& map = *params_of(params);
  const auto it = map.find(std::string_view(name));
  if (it == map.end()) return 0;
  return convert(it->second, out) ? 1 : 0;
}

int32_t param_get_string(const op_params* params, const char* name, const char** out) {
  return read_param(params, name, out, [](const ParamValue& v, const char** o) {
    const auto* s = std::get_if<std::string>(&v);
    if (s != nullptr) *o = s->c_str();
    return s != nullptr;
  });
}

int32_t param_get_int(const op_params* params, const char* name, int64_t* out) {
  return read_param(params, name, out, [](const ParamValue& v, int64_t* o) {
    const auto* i = std::get_if<int64_t>(&v);
    if (i != nullptr) *o = *i;
    return i != nullptr;
  });
}

int32_t param_get_float(const op_params* params, const char* name, double* out) {
  return read_param(params, name, out, [](const ParamValue& v, double* o) {
    const auto* d = std::get_if<double>(&v);
    if (d != nullptr) *o = *d;
    return d != nullptr;
  });
}

int32_t param_get_bool(const op_params* params, const char* name, int32_t* out) {
  return read_param(params, name, out, [](const ParamValue& v, int32_t* o) {
    const auto* b = std::get_if<bool>(&v);
    if (b != nullptr) *o = *b ? 1 : 0;
    return b != nullptr;
  });
}

int32_t param_get_duration_ms(const op_params* params, const char* name, uint64_t* out) {
  return read_param(params, name, out, [](const ParamValue& v, uint64_t* o) {
    const auto* d = std::get_if<std::chrono::milliseconds>(&v);
    if (d == nullptr || d->count() < 0) return false;
    *o = static_cast<uint64_t>(d->count());
    return true;
  });
}

const std::vector<std::string>* string_list(const op_params* params, const char* name) {
  if (params == nullptr || name == nullptr) return nullptr;
  const ParamMap& map = *params_of(params);
  const auto it = map.find(std::string_view(name));
  if (it == map.end()) return nullptr;
  return std::get_if<std::vector<std::string>>(&it->second);
}

uint32_t param_list_size(const op_params* params, const char* name) {
  const auto* list = string_list(params, name);
  return list != nullptr ? static_cast<uint32_t>(list->size()) : 0;
}

int32_t param_list_item(const op_params* params, const char* name, uint32_t index,
                        const char** out) {
  const auto* list = string_list(params, name);
  if (list == nullptr || out == nullptr || index >= list->size()) return 0;
  *out = (*list)[index].c_str();
  return 1;
}

int64_t now_unix_ms(op_host*) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

uint64_t now_monotonic_ns(op_host*) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
          .count());
}

// Returned when even building an error response failed (out of memory).
const op_http_response* internal_failure_response() {
  static const char kZeros[OP_HTTP_BODY_PADDING + 1] = {};
  static const op_http_response response = {sizeof(op_http_response),
                                            0,
                                            0,
                                            nullptr,
                                            0,
                                            kZeros,
                                            0,
                                            "the host could not make the request",
                                            0};
  return &response;
}

// What is wrong when a pack hands the host a struct smaller than its ABI 1.0
// size (it read a field the pack never wrote), or nullopt when it is not.
std::optional<std::string> too_small(const char* type, uint32_t struct_size, uint32_t size10) {
  if (struct_size >= size10) return std::nullopt;
  return std::string(type) + " struct_size " + std::to_string(struct_size) +
         " is smaller than ABI 1.0's " + std::to_string(size10);
}

http::Request to_request(const op_http_request& raw) {
  if (raw.url == nullptr) throw std::invalid_argument("the request has no url");
  if (raw.body == nullptr && raw.body_len > 0) {
    throw std::invalid_argument("the request has body_len > 0 but no body");
  }
  if (raw.headers == nullptr && raw.header_count > 0) {
    throw std::invalid_argument("the request has header_count > 0 but no headers");
  }
  http::Request request;
  request.method = raw.method != nullptr ? raw.method : "GET";
  request.url = raw.url;
  for (uint32_t i = 0; i < raw.header_count; ++i) {
    if (raw.headers[i].name == nullptr || raw.headers[i].value == nullptr) {
      throw std::invalid_argument("a request header has a NULL name or value");
    }
    request.headers.emplace_back(raw.headers[i].name, raw.headers[i].value);
  }
  if (raw.body_len > 0) request.body.assign(raw.body, raw.body_len);
  request.timeout = std::chrono::milliseconds(raw.timeout_ms);
  return request;
}

// Where http_stream sends a 2xx body: the pack's callback and its pointer.
struct PackBodySink {
  op_pack_http_body_fn on_body;
  void* user;
};

// The one path of http_request and http_stream: the pack's request, bounded
// by the run's deadline and cancel flag, and its response kept (padded) until
// the run returns. `sink` is null for http_request.
const op_http_response* perform_for_pack(op_run* run, const op_http_request* raw,
                                         const PackBodySink* sink) {
  try {
    RunState& state = *state_of(run);
    http::Response response;
    try {
      if (raw == nullptr) throw std::invalid_argument("the request is NULL");
      if (auto wrong = too_small("op_http_request", raw->struct_size, kHttpRequestSize10)) {
        // Its fields past struct_size are not the pack's: a broken rule of
        // plugin.h, so the run fails whatever the pack makes of the answer.
        state.abi_misuse = (sink != nullptr ? "http_stream: " : "http_request: ") + *wrong;
        throw std::invalid_argument(*wrong);
      }
      http::Request request = to_request(*raw);
      if (sink != nullptr) {
        if (sink->on_body == nullptr) throw std::invalid_argument("on_body is NULL");
        request.on_body = [&state, sink](std::string_view piece) {
          try {
            return sink->on_body(sink->user, piece.data(), piece.size()) != 0;
          } catch (...) {
            state.abi_misuse = "the body callback threw an exception across the C ABI";
            return false;
          }
        };
      }
      // A recording keeps the whole body, also when the pack streams it.
      const auto& record = state.control->record;
      std::string streamed;
      if (record && request.on_body) {
        request.on_body = [&streamed, inner = std::move(request.on_body)](std::string_view piece) {
          streamed.append(piece);
          return inner(piece);
        };
      }
      const auto deadline = state.control->deadline;
      if (deadline != Clock::time_point::max()) {
        request.deadline = deadline;
        // 0 means "the rest of the run's time", not the client's default.
        if (request.timeout.count() == 0) {
          request.timeout =
              std::max(std::chrono::milliseconds(1),
                       std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()));
        }
      }
      request.cancelled = &state.control->cancelled;
      request.body_spare = OP_HTTP_BODY_PADDING;
      response = state.http->perform(request);
      if (record) record->add(http::recorded_exchange(request, response, streamed + response.body));
    } catch (const std::invalid_argument& e) {
      response.error = std::string("invalid request: ") + e.what();
    }
    StoredResponse& stored = state.responses.emplace_back();
    stored.response = std::move(response);
    http::Response& r = stored.response;
    const size_t body_len = r.body.size();
    r.body.append(OP_HTTP_BODY_PADDING, '\0');
    stored.headers.reserve(r.headers.size());
    for (const auto& [name, value] : r.headers)
      stored.headers.push_back({name.c_str(), value.c_str()});
    op_http_response& out = stored.raw;
    out.struct_size = sizeof out;
    out.ok = r.ok ? 1 : 0;
    out.status = r.ok ? r.status : 0;
    out.headers = stored.headers.empty() ? nullptr : stored.headers.data();
    out.header_count = static_cast<uint32_t>(stored.headers.size());
    out.body = r.body.data();
    out.body_len = body_len;
    out.error = r.error.c_str();
    out.elapsed_ms = static_cast<uint64_t>(r.elapsed.count());
    return &out;
  } catch (...) {
    return internal_failure_response();
  }
}

const op_http_response* http_request(op_run* run, const op_http_request* raw) {
  return perform_for_pack(run, raw, nullptr);
}

const op_http_response* http_stream(op_run* run, const op_http_request* raw,
                                    op_pack_http_body_fn on_body, void* user) {
  const PackBodySink sink{on_body, user};
  return perform_for_pack(run, raw, &sink);
}

void run_report(op_run* run, const op_violation* violation) {
  try {
    RunState& state = *state_of(run);
    if (violation == nullptr) {
      state.abi_misuse = "run_report was called with a NULL op_violation";
      return;
    }
    if (auto wrong = too_small("op_violation", violation->struct_size, kViolationSize10)) {
      state.abi_misuse = "run_report: " + *wrong;
      return;
    }
    if (violation->facts == nullptr && violation->fact_count > 0) {
      state.abi_misuse = "run_report was called with fact_count > 0 but no facts";
      return;
    }
    // Rules of plugin.h, enforced rather than guessed at ("" for the whole
    // target is a different violation from a forgotten subject).
    if (violation->subject == nullptr) {
      state.abi_misuse = "run_report: op_violation.subject must not be NULL (\"\" is the target)";
      return;
    }
    if (violation->message == nullptr) {
      state.abi_misuse = "run_report: op_violation.message must not be NULL";
      return;
    }
    ReportedViolation reported;
    reported.subject = violation->subject;
    reported.message = violation->message;
    // Anything but a known op_severity means the check's configured one.
    reported.severity = severity_from_abi(violation->severity) ? violation->severity : 0;
    reported.facts.reserve(violation->fact_count);
    for (uint32_t i = 0; i < violation->fact_count; ++i) {
      if (const char* wrong = null_in_fact(violation->facts[i], true)) {
        state.abi_misuse = wrong;
        return;
      }
      reported.facts.push_back(to_fact(violation->facts[i]));
    }
    state.violations.push_back(std::move(reported));
  } catch (...) {
    state_of(run)->abi_misuse = "the host ran out of memory recording a violation";
  }
}

void run_unknown(op_run* run, const char* subject, const char* reason) {
  try {
    RunState& state = *state_of(run);
    if (subject == nullptr || reason == nullptr) {
      state.abi_misuse = "run_unknown was called with a NULL subject or reason";
      return;
    }
    state.unknown.push_back({subject, reason});
  } catch (...) {
    state_of(run)->abi_misuse = "the host ran out of memory recording an unknown subject";
  }
}

void run_fact(op_run* run, const op_fact* fact) {
  try {
    RunState& state = *state_of(run);
    if (fact == nullptr) {
      state.abi_misuse = "run_fact was called with a NULL op_fact";
      return;
    }
    if (const char* wrong = null_in_fact(*fact, false)) {
      state.abi_misuse = wrong;
      return;
    }
    state.facts.push_back(to_fact(*fact));
  } catch (...) {
  }
}

void run_fail(op_run* run, const char* message) {
  try {
    RunState& state = *state_of(run);
    if (message == nullptr) {
      state.abi_misuse = "run_fail was called with a NULL message";
      return;
    }
    state.failure = message;
    state.cause.clear();  // the last call wins, cause and all
  } catch (...) {
  }
}

void run_fail_cause(op_run* run, const char* cause, const char* message) {
  try {
    RunState& state = *state_of(run);
    if (cause == nullptr || message == nullptr) {
      state.abi_misuse = "run_fail_cause was called with a NULL cause or message";
      return;
    }
    state.failure = message;
    state.cause = cause;
  } catch (...) {
  }
}

int32_t run_cancelled(op_run* run) {
  const RunControl& control = *state_of(run)->control;
  return control.cancelled.load() || Clock::now() >= control.deadline ? 1 : 0;
}

spdlog::level::level_enum spdlog_level(int32_t level) {
  switch (level) {
    case OP_LOG_DEBUG:
      return spdlog::level::debug;
    case OP_LOG_WARNING:
      return spdlog::level::warn;
    case OP_LOG_ERROR:
      return spdlog::level::err;
    default:
      return spdlog::level::info;
  }
}

}  // namespace

void log_pack_line(int32_t level, std::string_view line) {
  try {
    spdlog::log(spdlog_level(level), "{}", line);
  } catch (...) {
  }
}

// What create() is given as `params`: the values, and where param_invalid
// writes the parameter the pack blames.
struct CreateParams {
  const ParamMap* values;
  std::optional<std::string> blamed;
};

// The host's side of one instance, behind the opaque op_host*.
struct PackInstance::HostState {
  op_host_api api{};
  std::string pack_name;
  std::string target;
  std::shared_ptr<http::Client> http;
  // The broken rules of plugin.h already logged for this instance: each is
  // logged once, while every run that breaks one fails. Touched only by
  // run(), which is never called twice at once for one instance.
  std::vector<std::string> rules_logged;

  // Logs `error`, the failure of a run that broke `rule`, unless this
  // instance broke that rule before.
  void log_broken_rule_once(const std::string& rule, const std::string& error) {
    if (std::find(rules_logged.begin(), rules_logged.end(), rule) != rules_logged.end()) return;
    rules_logged.push_back(rule);
    spdlog::error("{} (target '{}'); each run that does so fails, logged once per instance", error,
                  target);
  }

  static void param_invalid(const op_params* params, const char* name) {
    try {
      // The params of a create() are a CreateParams; of a run, a ParamMap:
      // only the first may be blamed, so compare before writing.
      auto* creating = current_create();
      if (creating == nullptr || name == nullptr) return;
      if (params != as_params(*creating->values)) return;
      creating->blamed = name;
    } catch (...) {
    }
  }

  // The create() in progress on this thread (param_invalid has no op_host*).
  static CreateParams*& current_create() {
    thread_local CreateParams* creating = nullptr;
    return creating;
  }

  static void log(op_host* host, int32_t level, const char* message) {
    try {
      const auto* self = reinterpret_cast<const HostState*>(host);
      spdlog::log(spdlog_level(level), "[{}/{}] {}", self->pack_name, self->target,
                  message != nullptr ? message : "");
    } catch (...) {
    }
  }
};

PackInstance::PackInstance(std::shared_ptr<const LoadedPack> pack, std::string target,
                           const ParamMap& pack_params, std::shared_ptr<http::Client> http)
    : pack_(std::move(pack)), target_(std::move(target)), host_(std::make_unique<HostState>()) {
  if (!pack_ || !pack_->ok() || pack_->descriptor == nullptr) {
    throw InstanceError(pack_ && pack_->ok()
                            ? "pack '" + pack_->name() + "' is not loaded in this process"
                            : "cannot create an instance of a pack that did not load" +
                                  (pack_ ? ": " + pack_->error : std::string()),
                        std::nullopt);
  }
  if (!http) http = std::make_shared<http::Client>();
  host_->pack_name = pack_->name();
  host_->target = target_;
  host_->http = std::move(http);
  op_host_api& api = host_->api;
  api.struct_size = sizeof api;
  api.abi_major = OP_ABI_MAJOR;
  api.abi_minor = OP_ABI_MINOR;
  api.host = reinterpret_cast<op_host*>(host_.get());
  api.log = &HostState::log;
  api.now_unix_ms = &now_unix_ms;
  api.now_monotonic_ns = &now_monotonic_ns;
  api.param_get_string = &param_get_string;
  api.param_get_int = &param_get_int;
  api.param_get_float = &param_get_float;
  api.param_get_bool = &param_get_bool;
  api.param_get_duration_ms = &param_get_duration_ms;
  api.param_list_size = &param_list_size;
  api.param_list_item = &param_list_item;
  api.http_request = &http_request;
  api.run_report = &run_report;
  api.run_fact = &run_fact;
  api.run_fail = &run_fail;
  api.run_cancelled = &run_cancelled;
  api.http_stream = &http_stream;
  api.run_unknown = &run_unknown;
  api.param_invalid = &HostState::param_invalid;
  api.run_fail_cause = &run_fail_cause;

  char error[1024] = {0};
  CreateParams creating{&pack_params, std::nullopt};
  HostState::current_create() = &creating;
  try {
    instance_ = pack_->descriptor->create(&api, as_params(pack_params), error, sizeof error);
  } catch (...) {
    HostState::current_create() = nullptr;
    throw InstanceError("pack '" + host_->pack_name +
                            "' threw an exception from create for target '" + target_ +
                            "' (exceptions must not cross the ABI)",
                        std::nullopt);
  }
  HostState::current_create() = nullptr;
  if (instance_ == nullptr) {
    error[sizeof error - 1] = '\0';
    throw InstanceError("pack '" + host_->pack_name + "' could not create an instance for " +
                            "target '" + target_ +
                            "': " + (error[0] != '\0' ? error : "no reason given"),
                        creating.blamed);
  }
}

PackInstance::~PackInstance() {
  try {
    if (instance_ != nullptr) pack_->descriptor->destroy(instance_);
  } catch (...) {
    spdlog::error("pack '{}' threw an exception from destroy for target '{}'", host_->pack_name,
                  target_);
  }
}

RunResult PackInstance::run(uint32_t check_index, const ParamMap& check_params,
                            RunControl& control) {
  const auto start = Clock::now();
  RunResult result;
  try {
    const op_pack_descriptor& d = *pack_->descriptor;
    if (check_index >= pack_->declaration->checks.size()) {
      result.error = "pack '" + host_->pack_name + "' has no check #" + std::to_string(check_index);
      return result;
    }
    RunState state{host_->http.get(), &control};
    int32_t status = OP_RUN_FAILED;
    try {
      status =
          d.run(instance_, check_index, as_params(check_params), reinterpret_cast<op_run*>(&state));
    } catch (...) {
      state.abi_misuse = "the check threw an exception across the C ABI";
    }
    for (size_t i : unknown_not_reported(state.unknown, state.violations)) {
      result.unknown.push_back(std::move(state.unknown[i]));
    }
    for (size_t i : last_per_subject(state.violations)) {
      result.violations.push_back(std::move(state.violations[i]));
    }
    result.facts = std::move(state.facts);
    if (state.abi_misuse) {
      result.error = "pack '" + host_->pack_name + "' broke the ABI: " + *state.abi_misuse;
      host_->log_broken_rule_once(*state.abi_misuse, result.error);
    } else if (status != OP_RUN_OK && status != OP_RUN_FAILED) {
      result.error = "the check returned an unknown status " + std::to_string(status);
    } else if (status == OP_RUN_FAILED || state.failure) {
      result.error = state.failure && !state.failure->empty() ? *state.failure
                                                              : "check failed without a message";
      result.cause = std::move(state.cause);
    } else {
      result.ok = true;
    }
  } catch (...) {
    result.ok = false;
    try {
      result.error = "the host failed while recording the run";
    } catch (...) {
    }
  }
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return result;
}

}  // namespace opr::plugins
