#include "packtest/recording.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "common/duration.h"
#include "common/redaction.h"
#include "common/severity.h"
#include "config/config.h"

namespace opr::packtest {
namespace {

// Bodies past this go to a file beside the test, to keep the test readable.
constexpr size_t kInlineBody = 2048;

bool is_text(const std::string& body) {
  return std::none_of(body.begin(), body.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 && c != '\n' && c != '\t' && c != '\r';
  });
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

void emit_params(YAML::Emitter& out, const ParamMap& params,
                 const std::vector<ParamDeclaration>& declared) {
  out << YAML::BeginMap;
  for (const auto& def : declared) {
    const auto value = params.find(def.name);
    if (value == params.end()) continue;
    out << YAML::Key << def.name << YAML::Value;
    if (config::is_secret_param(def.name)) {
      out << YAML::DoubleQuoted << std::string(kMasked);
    } else if (const auto* list = std::get_if<std::vector<std::string>>(&value->second)) {
      out << YAML::Flow << YAML::BeginSeq;
      for (const auto& item : *list) out << YAML::DoubleQuoted << mask_passwords(item);
      out << YAML::EndSeq;
    } else {
      // Masked as the recorded URLs are, so that a URL parameter holding a
      // password asks, in the replay, for the URL the file holds.
      out << YAML::DoubleQuoted << mask_passwords(format_param_value(value->second));
    }
  }
  out << YAML::EndMap;
}

void emit_exchange(YAML::Emitter& out, const Exchange& exchange, const std::filesystem::path& file,
                   int& body_files) {
  out << YAML::BeginMap << YAML::Key << "method" << YAML::Value << exchange.method;
  out << YAML::Key << "url" << YAML::Value << YAML::DoubleQuoted << exchange.url;
  if (exchange.error) {
    out << YAML::Key << "error" << YAML::Value << YAML::DoubleQuoted << *exchange.error
        << YAML::EndMap;
    return;
  }
  out << YAML::Key << "status" << YAML::Value << exchange.status;
  if (!exchange.headers.empty()) {
    out << YAML::Key << "headers" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, value] : exchange.headers) {
      out << YAML::Key << name << YAML::Value << YAML::DoubleQuoted << value;
    }
    out << YAML::EndMap;
  }
  if (exchange.body.size() > kInlineBody || !is_text(exchange.body)) {
    const std::string name = file.stem().string() + "." + std::to_string(++body_files) + ".body";
    write_file(file.parent_path() / name, exchange.body);
    out << YAML::Key << "body_file" << YAML::Value << name;
  } else if (!exchange.body.empty()) {
    out << YAML::Key << "body" << YAML::Value << YAML::DoubleQuoted << exchange.body;
  }
  out << YAML::EndMap;
}

// The outcome as the pack reported it, passwords masked as in the URLs (a
// pack quoting its URL in a message quotes the masked one in the replay).
void emit_expectation(YAML::Emitter& out, const RecordedRun& run) {
  out << YAML::BeginMap;
  const plugins::RunResult& result = run.result;
  if (!result.ok) {
    out << YAML::Key << "failed" << YAML::Value << YAML::DoubleQuoted
        << mask_passwords(result.error) << YAML::EndMap;
    return;
  }
  out << YAML::Key << "violations" << YAML::Value << YAML::BeginSeq;
  for (const auto& violation : result.violations) {
    out << YAML::BeginMap << YAML::Key << "subject" << YAML::Value << YAML::DoubleQuoted
        << mask_passwords(violation.subject);
    out << YAML::Key << "severity" << YAML::Value
        << std::string(to_string(effective_severity(violation.severity, run.check.severity)));
    out << YAML::Key << "message" << YAML::Value << YAML::DoubleQuoted
        << mask_passwords(violation.message);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "unknown" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const auto& unknown : result.unknown)
    out << YAML::DoubleQuoted << mask_passwords(unknown.subject);
  out << YAML::EndSeq << YAML::EndMap;
}

}  // namespace

bool kept_header(const std::string& name) {
  static const std::vector<std::string> kept = {"content-type", "location",      "retry-after",
                                                "etag",         "last-modified", "cache-control"};
  if (std::find(kept.begin(), kept.end(), name) != kept.end()) return true;
  return name.starts_with("x-") && !is_secret_name(name) &&
         name.find("auth") == std::string::npos && name.find("key") == std::string::npos;
}

http::Response RecordingTransport::answer(const http::Request& request) {
  // The whole body is kept for the file; Client hands it to a streaming
  // pack afterwards.
  http::Request whole = request;
  whole.on_body = nullptr;
  http::Response response = client_.perform(whole);
  Exchange exchange;
  exchange.method = request.method;
  exchange.url = mask_passwords(request.url);
  if (!response.ok) {
    exchange.error = response.error;
  } else {
    exchange.status = response.status;
    for (const auto& header : response.headers) {
      if (kept_header(header.first)) exchange.headers.push_back(header);
    }
    exchange.body = response.body;
  }
  const std::lock_guard lock(mutex_);
  exchanges_.push_back(std::move(exchange));
  return response;
}

std::vector<Exchange> RecordingTransport::take() {
  const std::lock_guard lock(mutex_);
  return std::exchange(exchanges_, {});
}

void write_recorded_test(const std::filesystem::path& file, const RecordedRun& run) {
  YAML::Emitter out;
  out << YAML::Comment(
      "Recorded by operator-host --once --record: the answers of one run "
      "and what it reported. Edit 'expect' to what should have happened.");
  out << YAML::BeginMap;
  out << YAML::Key << "pack" << YAML::Value << run.pack.name;
  out << YAML::Key << "target" << YAML::Value << YAML::DoubleQuoted << run.target.name;
  out << YAML::Key << "params" << YAML::Value;
  emit_params(out, run.target.params, run.pack.params);
  out << YAML::Key << "check" << YAML::Value << run.check.name;
  out << YAML::Key << "check_params" << YAML::Value;
  emit_params(out, run.check.params, run.pack.checks[run.check.index].params);
  out << YAML::Key << "grace" << YAML::Value << format_duration(run.check.grace);
  out << YAML::Key << "severity" << YAML::Value << std::string(to_string(run.check.severity));
  out << YAML::Key << "runs" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "at" << YAML::Value << "0s";
  out << YAML::Key << "http" << YAML::Value << YAML::BeginSeq;
  int body_files = 0;
  for (const auto& exchange : run.exchanges) emit_exchange(out, exchange, file, body_files);
  out << YAML::EndSeq;
  out << YAML::Key << "expect" << YAML::Value;
  emit_expectation(out, run);
  out << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  if (!out.good())
    throw std::runtime_error("cannot write " + file.string() + ": " + out.GetLastError());
  write_file(file, std::string(out.c_str()) + "\n");
}

}  // namespace opr::packtest
