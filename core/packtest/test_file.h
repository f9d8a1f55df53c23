// A `plugins test` file as read: the pack, its parameters, and runs of
// canned HTTP answers with what each run must report (docs/testing-a-pack.md).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/severity.h"
#include "config/config.h"
#include "config/yaml_tree.h"
#include "http/client.h"

namespace opr::packtest {

// One answer the pack will get, for the request with this method and URL.
struct CannedAnswer {
  std::string method = "GET";
  std::string url;
  int status = 200;
  http::Headers headers;
  std::string body;
  // Set: no response arrived (refused, timed out), with this error.
  std::optional<std::string> error;
  config::Mark mark;
};

// Text that must be equal to `exact`, or match the regular expression `pattern`.
struct TextMatch {
  std::optional<std::string> exact;
  std::optional<std::string> pattern;
  bool matches(const std::string& text) const;
  std::string describe() const;  // "'text'" or "/pattern/"
};

struct ExpectedViolation {
  std::string subject;
  std::optional<Severity> severity;
  std::optional<TextMatch> message;
  std::vector<std::pair<std::string, std::string>> facts;  // only these keys are compared
};

struct ExpectedTicket {
  // Unset: the tested check's own; else e.g. "http_ok:failed" (its failed
  // runs) or ":failed" (a cause's ticket, subject the cause).
  std::optional<std::string> check;
  std::string subject;
  std::optional<Severity> severity;
};

struct Expectation {
  std::optional<TextMatch> failed;  // set: the run must fail with this message
  std::vector<ExpectedViolation> violations;
  std::vector<std::string> unknown;
  // Set: the tickets of the check open after the run, exactly.
  std::optional<std::vector<ExpectedTicket>> tickets;
};

struct TestRun {
  std::chrono::milliseconds at{0};  // after the first run
  std::vector<CannedAnswer> answers;
  Expectation expect;
  config::Mark mark;
};

struct TestFile {
  std::filesystem::path path;
  std::string pack;  // a pack's name, or a path to its .so (relative to the file)
  config::Mark pack_mark;
  std::string target = "test";
  config::YamlNode params;  // pack-level, resolved once the pack is loaded
  std::string check;
  config::Mark check_mark;
  config::YamlNode check_params;
  std::optional<std::chrono::milliseconds> grace;
  std::optional<Severity> severity;
  std::vector<TestRun> runs;
};

// Reads and checks `file`. Throws config::ConfigError ("FILE:LINE:COLUMN: message").
TestFile read_test_file(const std::filesystem::path& file);

}  // namespace opr::packtest
