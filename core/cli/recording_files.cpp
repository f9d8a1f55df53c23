#include "cli/recording_files.h"

#include <cctype>
#include <memory>

#include "packtest/recording.h"

namespace opr::cli {
namespace {

// A file name from a target's or check's name, which may hold anything.
std::string file_word(const std::string& name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
  return out;
}

void record(const engine::RecordedCheck& run, RecordingSummary& summary) {
  const std::string name = run.target.name + "/" + run.check.name;
  if (run.not_recorded) {
    summary.failures.push_back(name + ": not recorded: " + *run.not_recorded);
    return;
  }
  const auto file =
      summary.dir / (file_word(run.target.name) + "." + file_word(run.check.name) + ".yaml");
  try {
    std::filesystem::create_directories(summary.dir);
    packtest::write_recorded_test(file,
                                  {run.pack, run.target, run.check, run.result, run.exchanges});
    const std::string outcome =
        run.result.ok ? std::to_string(run.result.violations.size()) + " violations" : "failed";
    summary.written.push_back({run.target.name, run.check.name, file.string(), outcome});
  } catch (const std::exception& e) {
    summary.failures.push_back(name + ": " + e.what());
  }
}

}  // namespace

engine::RecordSink recording_files(std::filesystem::path dir,
                                   std::function<void(const RecordingSummary&)> done) {
  auto summary = std::make_shared<RecordingSummary>();
  summary->dir = std::move(dir);
  engine::RecordSink sink;
  sink.recorded = [summary](const engine::RecordedCheck& run) { record(run, *summary); };
  sink.finished = [summary, done = std::move(done)](const std::vector<std::string>& never_ran) {
    for (const auto& name : never_ran) summary->failures.push_back(name + ": did not run");
    if (done) done(*summary);
  };
  return sink;
}

std::filesystem::path new_recording_dir(const std::filesystem::path& parent, TimePoint now) {
  // "2026-11-27T01:02:03.042Z" as a file name: no ':' and no milliseconds.
  std::string stamp = format_utc(now).substr(0, 19) + "Z";
  for (char& c : stamp) c = c == ':' ? '-' : c;
  std::filesystem::create_directories(parent);
  for (int n = 1;; ++n) {
    const auto dir = parent / (n == 1 ? stamp : stamp + "." + std::to_string(n));
    // create_directory is false when it exists: another recording's.
    if (std::filesystem::create_directory(dir)) return dir;
  }
}

}  // namespace opr::cli
