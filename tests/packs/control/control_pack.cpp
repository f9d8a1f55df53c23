// The `control` test pack: each run reads the file named by the check's
// `command_file` parameter and does what it says, so a test can make a check
// pass, report violations, fail, throw, hang or crash on demand.
//
//   ok                                  no violation
//   violate SUBJECT SEVERITY [MESSAGE]  one violation per line; SUBJECT "-" is
//                                       empty, SEVERITY info|warning|critical|default
//   fail MESSAGE                        a failed run with that message
//   fail_cause CAUSE MESSAGE            a failed run that names CAUSE (ABI 1.3)
//   throw                               the run throws (a failed run)
//   hang MS                             sleeps MS milliseconds (returns early when
//                                       cancelled), then behaves like `ok`
//   block MS                            sleeps MS milliseconds, ignoring cancellation
//                                       (a pack stuck in a system call)
//   block_until PATH                    waits until PATH exists, ignoring
//                                       cancellation (stuck until the test lets go)
//   unknown SUBJECT REASON              Run::unknown: SUBJECT ("-" is empty) could
//                                       not be evaluated, for REASON
//   crash                               abort()
//   log MESSAGE                         logs MESSAGE through the host's log
//                                       service (warning), then goes on
//   stream URL                          GETs URL with Run::http_stream and adds run
//                                       facts stream_status, stream_bytes,
//                                       stream_pieces, stream_fnv1a (FNV-1a of the
//                                       streamed bytes, 16 hex digits) and
//                                       stream_body (the body the response kept);
//                                       fails with the response's error when !ok
//   stream_throw URL BYTES              the same, but the piece handler throws
//                                       "control: bad piece after N bytes" once it
//                                       has seen at least BYTES bytes
//   stream_stop URL BYTES               the same through plugin.h's http_stream,
//                                       whose callback returns 0 once it has seen
//                                       at least BYTES bytes
//   stream_nested URL                   plugin.h's http_stream whose callback calls
//                                       http_request; adds fact nested_error
//   break RULE                          calls plugin.h directly, passing a NULL
//                                       where plugin.h forbids one, then goes on:
//                                       null_subject, null_message, null_fact_key,
//                                       null_fact_value (a violation's), null_fact
//                                       and null_run_fact_key (run_fact),
//                                       null_fail_message (run_fail)
//
// The pack-level `lifecycle_file`, read by create(), says what create() and
// destroy() do, one line each (a missing or empty file: nothing special):
//
//   create refuse PARAM MESSAGE         create() fails with MESSAGE, blaming the
//                                       pack-level parameter PARAM (ParamError)
//   create block_until PATH             create() waits until PATH exists
//   destroy block_until PATH            destroy() waits until PATH exists
//   create append PATH                  create() appends a line "create" to PATH
//   destroy append PATH                 destroy() appends a line "destroy" to PATH
//                                       (so a test sees which instances a
//                                       reload kept and which it made anew)
//
// A missing or empty file counts as `ok`. When `log_file` is set, each run
// appends "CHECK start" and "CHECK end" lines to it.
#include <operator/plugin.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

namespace {

using opr::sdk::Fact;
using opr::sdk::HttpResponse;
using opr::sdk::Run;

// Waits until `path` exists, whatever the host says about cancellation.
void wait_for_file(const std::string& path) {
  while (!std::filesystem::exists(path)) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

void append_line(const std::optional<std::string>& file, const std::string& line) {
  if (!file || file->empty()) return;
  std::ofstream out(*file, std::ios::app);
  out << line << '\n';
}

// What lifecycle_file tells create() and destroy() to do.
class ControlTarget {
 public:
  ControlTarget(const opr::sdk::Host&, const opr::sdk::Params& params) {
    const auto file = params.optional_string("lifecycle_file");
    if (!file) return;
    std::ifstream in(*file);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream words(line);
      std::string phase, verb;
      words >> phase >> verb;
      std::string rest;
      std::getline(words >> std::ws, rest);
      if (phase == "create" && verb == "refuse") {
        std::istringstream args(rest);
        std::string param, message;
        args >> param;
        std::getline(args >> std::ws, message);
        throw opr::sdk::ParamError(param, message);
      }
      if (phase == "create" && verb == "block_until") wait_for_file(rest);
      if (phase == "create" && verb == "append") append_line(rest, "create");
      if (phase == "destroy" && verb == "block_until") destroy_waits_for_ = rest;
      if (phase == "destroy" && verb == "append") destroy_appends_to_ = rest;
    }
  }
  ~ControlTarget() {
    if (!destroy_waits_for_.empty()) wait_for_file(destroy_waits_for_);
    append_line(destroy_appends_to_, "destroy");
  }
  ControlTarget(const ControlTarget&) = delete;
  ControlTarget& operator=(const ControlTarget&) = delete;

 private:
  std::string destroy_waits_for_;
  std::string destroy_appends_to_;
};

op_severity parse_severity(const std::string& word) {
  if (word == "info") return OP_SEVERITY_INFO;
  if (word == "warning") return OP_SEVERITY_WARNING;
  if (word == "critical") return OP_SEVERITY_CRITICAL;
  if (word == "default") return op_severity{};
  throw opr::sdk::CheckFailed("control: unknown severity '" + word + "'");
}

// What arrived through a stream: enough for a test to compare with the body.
struct StreamTally {
  uint64_t bytes = 0;
  uint64_t pieces = 0;
  uint64_t fnv1a = 14695981039346656037ull;

  void add(std::string_view piece) {
    bytes += piece.size();
    ++pieces;
    for (const char c : piece) {
      fnv1a ^= static_cast<unsigned char>(c);
      fnv1a *= 1099511628211ull;
    }
  }
};

void report_stream(Run& run, const HttpResponse& response, const StreamTally& tally) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(tally.fnv1a));
  run.fact(Fact::integer("stream_status", response.status()));
  run.fact(Fact::integer("stream_bytes", static_cast<int64_t>(tally.bytes)));
  run.fact(Fact::integer("stream_pieces", static_cast<int64_t>(tally.pieces)));
  run.fact(Fact::text("stream_fnv1a", hex));
  run.fact(Fact::text("stream_body", std::string(response.body())));
  if (!response.ok()) throw opr::sdk::CheckFailed("control: " + std::string(response.error()));
}

// plugin.h's http_stream without the SDK's wrapper, so a test sees what the
// host does when a C callback returns 0 or calls back into the host.
struct RawStream {
  const op_host_api* api;
  op_run* run;
  uint64_t stop_after;  // 0: never stop
  StreamTally tally;
  std::string nested_error;
};

int32_t raw_piece(void* user, const char* data, size_t len) {
  auto* stream = static_cast<RawStream*>(user);
  stream->tally.add(std::string_view(data, len));
  return stream->stop_after > 0 && stream->tally.bytes >= stream->stop_after ? 0 : 1;
}

int32_t nested_piece(void* user, const char* data, size_t len) {
  auto* stream = static_cast<RawStream*>(user);
  stream->tally.add(std::string_view(data, len));
  if (stream->tally.pieces == 1) {
    op_http_request request{};
    request.struct_size = sizeof request;
    request.url = "http://127.0.0.1:1/";
    stream->nested_error = stream->api->http_request(stream->run, &request)->error;
  }
  return 1;
}

void raw_stream(Run& run, const std::string& url, op_pack_http_body_fn on_body,
                uint64_t stop_after) {
  const op_host_api* api = run.host().api();
  RawStream stream{api, run.raw(), stop_after, {}, {}};
  op_http_request request{};
  request.struct_size = sizeof request;
  request.url = url.c_str();
  const HttpResponse response(api->http_stream(run.raw(), &request, on_body, &stream));
  if (on_body == &nested_piece) run.fact(Fact::text("nested_error", stream.nested_error));
  report_stream(run, response, stream.tally);
}

// One call of plugin.h with a NULL where its rules forbid one, for the
// tests of what the host does about it.
void break_rule(Run& run, const std::string& rule) {
  const op_host_api* api = run.host().api();
  op_fact fact{"key", "value", 0};
  op_violation violation{};
  violation.struct_size = sizeof violation;
  violation.subject = "s";
  violation.message = "a violation that breaks a rule";
  violation.facts = &fact;
  violation.fact_count = 1;
  if (rule == "null_subject") violation.subject = nullptr;
  if (rule == "null_message") violation.message = nullptr;
  if (rule == "null_fact_key") fact.key = nullptr;
  if (rule == "null_fact_value") fact.value = nullptr;
  if (rule == "null_fact") {
    api->run_fact(run.raw(), nullptr);
  } else if (rule == "null_run_fact_key") {
    fact.key = nullptr;
    api->run_fact(run.raw(), &fact);
  } else if (rule == "null_fail_message") {
    api->run_fail(run.raw(), nullptr);
  } else if (rule.starts_with("null_")) {
    api->run_report(run.raw(), &violation);
  } else {
    throw opr::sdk::CheckFailed("control: unknown rule '" + rule + "'");
  }
}

void execute(const std::string& command_file, Run& run) {
  std::ifstream in(command_file);
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    std::istringstream words(line);
    std::string verb;
    if (!(words >> verb)) continue;
    std::string rest;
    std::getline(words >> std::ws, rest);
    if (verb == "ok") continue;
    if (verb == "fail") throw opr::sdk::CheckFailed(rest.empty() ? "control: told to fail" : rest);
    if (verb == "fail_cause") {
      std::istringstream parts(rest);
      std::string cause, message;
      parts >> cause;
      std::getline(parts >> std::ws, message);
      throw opr::sdk::CheckFailed(message, cause);
    }
    if (verb == "throw") throw std::runtime_error("control: told to throw");
    if (verb == "crash") std::abort();
    if (verb == "break") {
      break_rule(run, rest);
      continue;
    }
    if (verb == "log") {
      run.host().warning(rest);
      continue;
    }
    if (verb == "hang") {
      const auto until =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(std::stol(rest));
      while (std::chrono::steady_clock::now() < until && !run.cancelled()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      continue;
    }
    if (verb == "block") {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::stol(rest)));
      continue;
    }
    if (verb == "block_until") {
      wait_for_file(rest);
      continue;
    }
    if (verb == "unknown") {
      std::istringstream args(rest);
      std::string subject, reason;
      args >> subject;
      std::getline(args >> std::ws, reason);
      run.unknown(subject == "-" ? "" : subject, reason);
      continue;
    }
    if (verb == "violate") {
      std::istringstream args(rest);
      std::string subject, severity, message;
      args >> subject >> severity;
      std::getline(args >> std::ws, message);
      if (subject == "-") subject.clear();
      if (message.empty())
        message = "control violation of " + (subject.empty() ? "the target" : subject);
      run.report(subject, message,
                 {Fact::integer("line", line_number), Fact::text("source", "control"),
                  Fact::number("ratio", 0.5)},
                 parse_severity(severity));
      continue;
    }
    if (verb.starts_with("stream")) {
      std::istringstream args(rest);
      std::string url;
      uint64_t bytes = 0;
      args >> url >> bytes;
      if (verb == "stream" || verb == "stream_throw") {
        StreamTally tally;
        opr::sdk::HttpRequest request;
        request.url = url;
        const HttpResponse response = run.http_stream(request, [&](std::string_view piece) {
          tally.add(piece);
          if (verb == "stream_throw" && tally.bytes >= bytes) {
            throw std::runtime_error("control: bad piece after " + std::to_string(tally.bytes) +
                                     " bytes");
          }
        });
        report_stream(run, response, tally);
        continue;
      }
      if (verb == "stream_stop") {
        raw_stream(run, url, &raw_piece, bytes);
        continue;
      }
      if (verb == "stream_nested") {
        raw_stream(run, url, &nested_piece, 0);
        continue;
      }
    }
    throw opr::sdk::CheckFailed("control: unknown command '" + verb + "'");
  }
}

class Probe : public opr::sdk::Check<ControlTarget> {
 public:
  void run(ControlTarget&, Run& run) override {
    const auto log_file = run.params().optional_string("log_file");
    append_line(log_file, "probe start");
    try {
      execute(run.params().string("command_file"), run);
    } catch (...) {
      append_line(log_file, "probe end");
      throw;
    }
    append_line(log_file, "probe end");
  }
};

std::vector<opr::sdk::ParamSpec> probe_params() {
  return {{.name = "command_file",
           .type = OP_PARAM_STRING,
           .required = true,
           .doc = "file whose content says what the next run does"},
          {.name = "log_file",
           .type = OP_PARAM_STRING,
           .doc = "file each run appends start/end lines to"}};
}

const opr::sdk::Pack<ControlTarget>& control_pack() {
  static const opr::sdk::Pack<ControlTarget> pack =
      opr::sdk::PackBuilder<ControlTarget>("control", "1.0.0",
                                           "Test fixture: does what its command file says")
          .param({.name = "lifecycle_file",
                  .type = OP_PARAM_STRING,
                  .doc = "file that says what create() and destroy() do"})
          .check<Probe>({.name = "probe",
                         .description = "does what command_file says",
                         .severity = OP_SEVERITY_WARNING,
                         .params = probe_params()})
          .build();
  return pack;
}

}  // namespace

OPR_EXPORT_PACK(control_pack)
