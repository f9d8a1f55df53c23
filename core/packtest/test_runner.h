// Runs a `plugins test` file: the pack in this process with the real host
// API, its HTTP answered from the file, each run's outcome compared with
// what the file expects (and, when asked, the tickets the engine's
// evaluation would keep open).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace opr::packtest {

// One run whose outcome differed from the file's expectation.
struct RunFailure {
  std::string where;               // "FILE:LINE:COLUMN: run 2 (at 30s)"
  std::vector<std::string> lines;  // one per mismatch, "what: expected X, got Y"
};

struct FileResult {
  std::filesystem::path file;
  // Why the file could not be run at all (malformed, pack missing, create
  // refused): "FILE:LINE:COLUMN: message".
  std::optional<std::string> error;
  int runs = 0;
  std::vector<RunFailure> failures;

  bool passed() const { return !error && failures.empty(); }
};

// `plugin_dirs`: where a pack named by name is looked for.
FileResult run_test_file(const std::filesystem::path& file,
                         const std::vector<std::filesystem::path>& plugin_dirs);

}  // namespace opr::packtest
