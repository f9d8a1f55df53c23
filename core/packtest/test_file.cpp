#include "packtest/test_file.h"

#include <fstream>
#include <regex>
#include <sstream>

#include "config/value_reading.h"

namespace opr::packtest {
namespace {

using config::fail;
using config::YamlNode;

const YamlNode& required(const YamlNode& map, const std::string& key, const std::string& where) {
  const YamlNode* node = map.find(key);
  if (node == nullptr) fail(map.mark, "missing '" + key + "' " + where);
  return *node;
}

void require_list(const YamlNode& node, const std::string& what) {
  if (!node.is_sequence() && !node.is_null()) {
    fail(node.mark, what + " must be a list, not " + std::string(config::kind_name(node)));
  }
}

// `text` or `text_re` of `map`: at most one of them; nullopt when neither.
std::optional<TextMatch> read_match(const YamlNode& map, const std::string& key,
                                    const std::string& what) {
  const YamlNode* exact = map.find(key);
  const YamlNode* pattern = map.find(key + "_re");
  if (exact != nullptr && pattern != nullptr) {
    fail(pattern->mark, "give '" + key + "' or '" + key + "_re' " + what + ", not both");
  }
  if (exact == nullptr && pattern == nullptr) return std::nullopt;
  TextMatch match;
  if (exact != nullptr) {
    match.exact = config::read_string(*exact, "'" + key + "' " + what);
    return match;
  }
  match.pattern = config::read_string(*pattern, "'" + key + "_re' " + what);
  try {
    std::regex check(*match.pattern);
  } catch (const std::regex_error& e) {
    fail(pattern->mark, "'" + key + "_re' " + what + " is not a regular expression: " + e.what());
  }
  return match;
}

std::string read_body_file(const YamlNode& node, const std::filesystem::path& dir) {
  const std::string& name = config::read_string(node, "'body_file'");
  const std::filesystem::path path = dir / name;
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(node.mark, "cannot read body_file '" + path.string() + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

CannedAnswer read_answer(const YamlNode& node, const std::filesystem::path& dir) {
  config::require_map(node, "an HTTP answer");
  config::check_keys(node, {"method", "url", "status", "headers", "body", "body_file", "error"},
                     "in an HTTP answer");
  CannedAnswer answer;
  answer.mark = node.mark;
  if (const YamlNode* method = node.find("method")) {
    answer.method = config::read_string(*method, "'method'");
  }
  answer.url = config::read_string(required(node, "url", "in an HTTP answer"), "'url'");
  if (const YamlNode* status = node.find("status")) {
    answer.status = static_cast<int>(config::read_int(*status, "'status'", 100, 599));
  }
  if (const YamlNode* headers = node.find("headers")) {
    config::require_map(*headers, "'headers'");
    for (size_t i = 0; i < headers->keys.size(); ++i) {
      std::string name = headers->keys[i];
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      answer.headers.emplace_back(name, config::read_string(headers->items[i], "a header"));
    }
  }
  const YamlNode* body = node.find("body");
  const YamlNode* body_file = node.find("body_file");
  if (body != nullptr && body_file != nullptr) {
    fail(body_file->mark, "give 'body' or 'body_file' in an HTTP answer, not both");
  }
  if (body != nullptr && !body->is_null()) answer.body = config::read_string(*body, "'body'");
  if (body_file != nullptr) answer.body = read_body_file(*body_file, dir);
  if (const YamlNode* error = node.find("error")) {
    answer.error = config::read_string(*error, "'error'");
  }
  return answer;
}

ExpectedViolation read_violation(const YamlNode& node) {
  config::require_map(node, "an expected violation");
  config::check_keys(node, {"subject", "severity", "message", "message_re", "facts"},
                     "in an expected violation");
  ExpectedViolation violation;
  violation.subject =
      config::read_string(required(node, "subject", "in an expected violation"), "'subject'");
  if (const YamlNode* severity = node.find("severity")) {
    violation.severity = config::read_severity(*severity, "'severity'");
  }
  violation.message = read_match(node, "message", "of a violation");
  if (const YamlNode* facts = node.find("facts")) {
    config::require_map(*facts, "'facts'");
    for (size_t i = 0; i < facts->keys.size(); ++i) {
      violation.facts.emplace_back(facts->keys[i],
                                   config::read_string(facts->items[i], "a fact's value"));
    }
  }
  return violation;
}

ExpectedTicket read_ticket(const YamlNode& node) {
  ExpectedTicket ticket;
  if (node.is_scalar()) {
    ticket.subject = node.text;
    return ticket;
  }
  config::require_map(node, "an expected ticket");
  config::check_keys(node, {"check", "subject", "severity"}, "in an expected ticket");
  if (const YamlNode* check = node.find("check")) {
    ticket.check = config::read_string(*check, "'check'");
  }
  if (const YamlNode* subject = node.find("subject")) {
    ticket.subject = config::read_string(*subject, "'subject'");
  } else if (!ticket.check) {
    fail(node.mark, "missing 'subject' in an expected ticket");
  }
  if (const YamlNode* severity = node.find("severity")) {
    ticket.severity = config::read_severity(*severity, "'severity'");
  }
  return ticket;
}

Expectation read_expectation(const YamlNode& node) {
  Expectation expect;
  if (node.is_null()) return expect;
  config::require_map(node, "'expect'");
  config::check_keys(node, {"violations", "unknown", "failed", "failed_re", "tickets"},
                     "in 'expect'");
  expect.failed = read_match(node, "failed", "in 'expect'");
  if (const YamlNode* list = node.find("violations")) {
    require_list(*list, "'violations'");
    for (const auto& item : list->items) expect.violations.push_back(read_violation(item));
  }
  if (const YamlNode* list = node.find("unknown")) {
    require_list(*list, "'unknown'");
    for (const auto& item : list->items) {
      expect.unknown.push_back(config::read_string(item, "an unknown subject"));
    }
  }
  if (const YamlNode* list = node.find("tickets")) {
    require_list(*list, "'tickets'");
    expect.tickets.emplace();
    for (const auto& item : list->items) expect.tickets->push_back(read_ticket(item));
  }
  if (expect.failed && (!expect.violations.empty() || !expect.unknown.empty())) {
    fail(node.mark, "a failed run reports no violations or unknown subjects to expect");
  }
  return expect;
}

TestRun read_run(const YamlNode& node, const std::filesystem::path& dir) {
  config::require_map(node, "a run");
  config::check_keys(node, {"at", "http", "expect"}, "in a run");
  TestRun run;
  run.mark = node.mark;
  if (const YamlNode* at = node.find("at")) run.at = config::read_duration(*at, "'at'", true);
  if (const YamlNode* answers = node.find("http")) {
    require_list(*answers, "'http'");
    for (const auto& item : answers->items) run.answers.push_back(read_answer(item, dir));
  }
  if (const YamlNode* expect = node.find("expect")) run.expect = read_expectation(*expect);
  return run;
}

}  // namespace

bool TextMatch::matches(const std::string& text) const {
  if (exact) return text == *exact;
  return pattern && std::regex_search(text, std::regex(*pattern));
}

std::string TextMatch::describe() const {
  return exact ? "'" + *exact + "'" : "/" + pattern.value_or("") + "/";
}

TestFile read_test_file(const std::filesystem::path& file) {
  // The YAML reader's own words are a config file's.
  if (!std::ifstream(file)) fail({file.string(), 0, 0}, "cannot read the test file");
  const YamlNode root = config::parse_yaml_file(file);
  config::require_map(root, "a test file");
  config::check_keys(
      root, {"pack", "target", "params", "check", "check_params", "grace", "severity", "runs"},
      "at the top level");
  TestFile test;
  test.path = file;
  const YamlNode& pack = required(root, "pack", "at the top level");
  test.pack = config::read_string(pack, "'pack'");
  test.pack_mark = pack.mark;
  if (const YamlNode* target = root.find("target")) {
    test.target = config::read_string(*target, "'target'");
  }
  if (const YamlNode* params = root.find("params")) {
    config::require_map(*params, "'params'");
    test.params = *params;
  }
  const YamlNode& check = required(root, "check", "at the top level");
  test.check = config::read_string(check, "'check'");
  test.check_mark = check.mark;
  if (const YamlNode* params = root.find("check_params")) {
    config::require_map(*params, "'check_params'");
    test.check_params = *params;
  }
  if (const YamlNode* grace = root.find("grace")) {
    test.grace = config::read_duration(*grace, "'grace'", true);
  }
  if (const YamlNode* severity = root.find("severity")) {
    test.severity = config::read_severity(*severity, "'severity'");
  }
  const YamlNode& runs = required(root, "runs", "at the top level");
  require_list(runs, "'runs'");
  if (runs.items.empty()) fail(runs.mark, "'runs' holds no run");
  const std::filesystem::path dir = file.parent_path();
  for (const auto& item : runs.items) test.runs.push_back(read_run(item, dir));
  for (size_t i = 1; i < test.runs.size(); ++i) {
    if (test.runs[i].at < test.runs[i - 1].at) {
      fail(test.runs[i].mark, "a run's 'at' must not be before the run above it");
    }
  }
  return test;
}

}  // namespace opr::packtest
