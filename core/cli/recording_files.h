// Where a recorded cycle goes (`--once --record DIR`, POST /-/record): a
// `plugins test` file per check, DIR/TARGET.CHECK.yaml, written as each
// recorded run ends.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/time_format.h"
#include "engine/cycle_recording.h"

namespace opr::cli {

struct RecordingSummary {
  struct File {
    std::string target;
    std::string check;
    std::string file;
    std::string outcome;  // "2 violations", "failed"
  };
  std::filesystem::path dir;
  std::vector<File> written;
  // One line per check that could not be recorded: "web/http_ok: why".
  std::vector<std::string> failures;
};

// A sink for Engine::request_recording writing into `dir` (created if
// need be); `done` hears what was written once the recording ends.
engine::RecordSink recording_files(std::filesystem::path dir,
                                   std::function<void(const RecordingSummary&)> done);

// A new folder under `parent` named after `now` (UTC, "2026-11-27T01-02-03Z"),
// ".2", ".3" ... when that name is taken. Throws std::runtime_error when it
// cannot be made.
std::filesystem::path new_recording_dir(const std::filesystem::path& parent, TimePoint now);

}  // namespace opr::cli
