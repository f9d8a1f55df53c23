// The lines protocol: read_lines of reading.h.
#include <simdjson.h>

#include <string>

#include "reading.h"
#include "text.h"

namespace opr::exec {
namespace {

constexpr const char* kShapes =
    "a line is {\"subject\": ..., \"severity\": ..., \"message\": ..., \"facts\": {...}} or "
    "{\"unknown\": ..., \"reason\": ...}";

class LineError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string string_of(simdjson::dom::element value, std::string_view key, bool non_empty) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    throw LineError("\"" + std::string(key) + "\" is not a string");
  }
  if (non_empty && trim(text).empty()) throw LineError("\"" + std::string(key) + "\" is empty");
  return std::string(text);
}

Level level_of(const std::string& severity) {
  if (severity == "info") return Level::kInfo;
  if (severity == "warning") return Level::kWarning;
  if (severity == "critical") return Level::kCritical;
  throw LineError("\"severity\" is '" + excerpt(severity, 40) +
                  "'; write info, warning or critical (or leave it out for the check's own)");
}

std::vector<Fact> facts_of(simdjson::dom::element value) {
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) {
    throw LineError("\"facts\" is not an object");
  }
  std::vector<Fact> facts;
  for (const auto field : object) {
    const std::string key(field.key);
    switch (field.value.type()) {
      case simdjson::dom::element_type::STRING:
        facts.push_back({key, std::string(field.value.get_string().value_unsafe()), false});
        break;
      case simdjson::dom::element_type::INT64:
        facts.push_back({key, std::to_string(field.value.get_int64().value_unsafe()), true});
        break;
      case simdjson::dom::element_type::UINT64:
        facts.push_back({key, std::to_string(field.value.get_uint64().value_unsafe()), true});
        break;
      case simdjson::dom::element_type::DOUBLE:
        facts.push_back({key, number_text(field.value.get_double().value_unsafe()), true});
        break;
      case simdjson::dom::element_type::BOOL:
        facts.push_back({key, field.value.get_bool().value_unsafe() ? "true" : "false", false});
        break;
      default:
        throw LineError("fact \"" + excerpt(key, 60) + "\" is not a string, a number or a boolean");
    }
  }
  return facts;
}

// A failed reading: nothing the earlier lines said counts.
Outcome failed(std::string why) {
  Outcome outcome;
  outcome.failure = std::move(why);
  return outcome;
}

void read_line(simdjson::dom::object object, Outcome& outcome) {
  simdjson::dom::element unknown;
  if (object["unknown"].get(unknown) == simdjson::SUCCESS) {
    Unknown subject;
    bool has_reason = false;
    for (const auto field : object) {
      if (field.key == "unknown") {
        subject.subject = string_of(field.value, field.key, false);
      } else if (field.key == "reason") {
        subject.reason = string_of(field.value, field.key, true);
        has_reason = true;
      } else {
        throw LineError("unknown key \"" + excerpt(field.key, 60) + "\" (" + kShapes + ")");
      }
    }
    if (!has_reason) throw LineError("\"reason\" is missing: say why it could not be evaluated");
    outcome.unknown.push_back(std::move(subject));
    return;
  }
  Finding finding;
  bool has_subject = false;
  bool has_message = false;
  for (const auto field : object) {
    if (field.key == "subject") {
      finding.subject = string_of(field.value, field.key, false);
      has_subject = true;
    } else if (field.key == "message") {
      finding.message = string_of(field.value, field.key, true);
      has_message = true;
    } else if (field.key == "severity") {
      finding.level = level_of(string_of(field.value, field.key, true));
    } else if (field.key == "facts") {
      finding.facts = facts_of(field.value);
    } else {
      throw LineError("unknown key \"" + excerpt(field.key, 60) + "\" (" + kShapes + ")");
    }
  }
  if (!has_subject) throw LineError(std::string("\"subject\" is missing (") + kShapes + ")");
  if (!has_message) throw LineError("\"message\" is missing: say what is wrong");
  outcome.findings.push_back(std::move(finding));
}

}  // namespace

Outcome read_lines(std::string_view out) {
  Outcome outcome;
  simdjson::dom::parser parser;
  const auto lines = split_lines(out);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = trim(lines[i]);
    if (line.empty()) continue;
    const std::string where = "line " + std::to_string(i + 1) + " of the output: ";
    simdjson::dom::element document;
    const simdjson::padded_string padded(line);
    if (const auto error = parser.parse(padded).get(document); error != simdjson::SUCCESS) {
      return failed(where + "not JSON (" + simdjson::error_message(error) +
                    "): " + excerpt(line, 120));
    }
    simdjson::dom::object object;
    if (document.get_object().get(object) != simdjson::SUCCESS) {
      return failed(where + "not a JSON object (" + kShapes + "): " + excerpt(line, 120));
    }
    try {
      read_line(object, outcome);
    } catch (const LineError& e) {
      return failed(where + e.what());
    }
  }
  return outcome;
}

}  // namespace opr::exec
