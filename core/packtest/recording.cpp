#include "packtest/recording.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/duration.h"
#include "common/redaction.h"
#include "common/severity.h"
#include "common/text_check.h"
#include "config/config.h"

namespace opr::packtest {
namespace {

// Bodies past this go to a file beside the test, to keep the test readable.
constexpr size_t kInlineBody = 2048;

// Text a quoted YAML string carries exactly: UTF-8 (yaml-cpp writes any
// other byte as U+FFFD) without control characters but line breaks and tabs.
bool is_text(const std::string& body) {
  return !invalid_utf8_at(body) && std::none_of(body.begin(), body.end(), [](char c) {
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

// yaml-cpp writes a block scalar only with clip chomping ("|"), which
// adds or drops trailing line breaks: a body written as one is emitted as
// this placeholder, alone on its line, and put in by with_block_bodies.
constexpr std::string_view kBlockMark = "OPR_RECORDED_BODY_";

// The emitted text with each `KEY: <kBlockMark>N` line replaced by KEY and
// blocks[N] as a block scalar indented under it.
std::string with_block_bodies(const std::string& emitted, const std::vector<std::string>& blocks) {
  std::istringstream lines(emitted);
  std::string out;
  std::string line;
  while (std::getline(lines, line)) {
    const size_t mark = line.find(": " + std::string(kBlockMark));
    const size_t digits = mark + 2 + kBlockMark.size();
    const size_t indent = line.find_first_not_of(' ');
    size_t index = blocks.size();
    if (mark != std::string::npos && digits < line.size() &&
        line.find_first_not_of("0123456789", digits) == std::string::npos) {
      index = std::stoul(line.substr(digits));
    }
    if (index >= blocks.size()) {
      out += line + "\n";
      continue;
    }
    const std::string& body = blocks[index];
    out += line.substr(0, mark) + ": " + *block_scalar_header(body) + "\n";
    const std::string pad(indent + 2, ' ');
    size_t start = 0;
    // Lines up to the last line break (or to the end when there is none);
    // trailing breaks past the first are empty lines, which |+ keeps.
    while (start < body.size()) {
      const size_t end = std::min(body.find('\n', start), body.size());
      const std::string_view text(body.data() + start, end - start);
      out += text.empty() ? std::string() : pad + std::string(text);
      out += "\n";
      start = end + 1;
    }
  }
  return out;
}

void emit_exchange(YAML::Emitter& out, const Exchange& exchange, const std::filesystem::path& file,
                   int& body_files, std::vector<std::string>& blocks) {
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
  } else if (block_scalar_header(exchange.body)) {
    out << YAML::Key << "body" << YAML::Value
        << std::string(kBlockMark) + std::to_string(blocks.size());
    blocks.push_back(exchange.body);
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

std::optional<std::string> block_scalar_header(const std::string& body) {
  const size_t first = body.find_first_not_of('\n');
  // One line, or nothing but line breaks: a quoted string reads as well.
  if (first == std::string::npos || body.find('\n') == std::string::npos) return std::nullopt;
  // A block's indentation is found from its first line with text.
  if (body[first] == ' ' || body[first] == '\t') return std::nullopt;
  if (invalid_utf8_at(body)) return std::nullopt;
  for (size_t i = 0; i < body.size(); ++i) {
    const auto byte = static_cast<unsigned char>(body[i]);
    if ((byte < 0x20 && body[i] != '\n' && body[i] != '\t') || byte == 0x7f) return std::nullopt;
    // C1 controls, NEL among them, and U+2028/U+2029, which YAML 1.1 reads as
    // line breaks, and a byte order mark.
    if (byte == 0xc2 && i + 1 < body.size() && static_cast<unsigned char>(body[i + 1]) < 0xa0)
      return std::nullopt;
    if (body.compare(i, 3, "\xe2\x80\xa8") == 0 || body.compare(i, 3, "\xe2\x80\xa9") == 0 ||
        body.compare(i, 3, "\xef\xbb\xbf") == 0)
      return std::nullopt;
    const bool line_end = body[i] == '\n' || i + 1 == body.size();
    const char last = body[i] == '\n' ? (i > 0 ? body[i - 1] : '\n') : body[i];
    if (line_end && (last == ' ' || last == '\t')) return std::nullopt;
  }
  if (body.back() != '\n') return "|-";
  return body.size() >= 2 && body[body.size() - 2] == '\n' ? "|+" : "|";
}

void write_recorded_test(const std::filesystem::path& file, const RecordedRun& run) {
  YAML::Emitter out;
  out << YAML::Comment(
      "Recorded by operator-host (--once --record, or POST /-/record): the answers of one run "
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
  std::vector<std::string> blocks;
  for (const auto& exchange : run.exchanges) emit_exchange(out, exchange, file, body_files, blocks);
  out << YAML::EndSeq;
  out << YAML::Key << "expect" << YAML::Value;
  emit_expectation(out, run);
  out << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  if (!out.good())
    throw std::runtime_error("cannot write " + file.string() + ": " + out.GetLastError());
  write_file(file, with_block_bodies(std::string(out.c_str()) + "\n", blocks));
}

}  // namespace opr::packtest
