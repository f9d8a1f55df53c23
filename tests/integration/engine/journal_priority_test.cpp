// Under systemd, stderr is the journal: each line the host writes there
// starts with its syslog priority ("<3>" error ... "<7>" debug), so that
// `journalctl -p err -u operator` shows the errors. systemd says so through
// JOURNAL_STREAM=DEVICE:INODE of that stream; here stderr is a file, and
// JOURNAL_STREAM names it (or, where nothing may change, does not).
#include <sys/stat.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "engine_helpers.h"
#include "host_harness.h"

namespace opr::test {
namespace {

// "DEVICE:INODE" of `file`, as systemd writes JOURNAL_STREAM.
std::string device_and_inode(const std::filesystem::path& file) {
  struct stat info {};
  EXPECT_EQ(::stat(file.c_str(), &info), 0) << file;
  return std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino);
}

// `operator-host ARGS...` with its stderr appended to `stderr_file` (which
// exists), and JOURNAL_STREAM set to `journal_stream` or unset.
CommandResult run_host(const std::filesystem::path& stderr_file,
                       const std::vector<std::string>& args,
                       const std::optional<std::string>& journal_stream) {
  std::vector<std::string> argv = {"/bin/sh",
                                   "-c",
                                   "file=$1; shift; exec \"$@\" 2>>\"$file\"",
                                   "sh",
                                   stderr_file.string(),
                                   operator_host().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions options;
  if (journal_stream) {
    options.env["JOURNAL_STREAM"] = *journal_stream;
  } else {
    options.unset_env.push_back("JOURNAL_STREAM");
  }
  return run_command(argv, options);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::map<std::string, std::string> kPriority = {
    {"debug", "7"}, {"info", "6"}, {"warning", "4"}, {"error", "3"}, {"critical", "2"}};

// A monitor's run (--once) that logs at every level but critical: the
// allocator's settings (debug), the database (info), a check that fails
// (warning), a pack file that does not load (error).
class JournalPriorities : public ::testing::Test {
 protected:
  JournalPriorities() : harness_({fixture_pack("control"), fixture_pack("bad")}) {
    write_file(harness_.file("a.cmd"), "fail the disk cannot be read\n");
    write_file(stderr_file(), "");
  }
  void write_config(const std::string& format) {
    harness_.write_config("log: {format: " + format + "}\ntargets:\n" +
                          control_target(harness_, "a"));
  }
  CommandResult run_once(const std::optional<std::string>& journal_stream) {
    const CommandResult result =
        run_host(stderr_file(),
                 {"--config", harness_.config_path().string(), "--once", "--log-level", "debug"},
                 journal_stream);
    EXPECT_EQ(result.exit_code, 3) << result.out << read_file(stderr_file());  // a check failed
    return result;
  }
  std::filesystem::path stderr_file() const { return harness_.file("stderr"); }

  HostHarness harness_;
};

// <PRIORITY>TIME LEVEL message
const std::regex kTextLine(R"(<(\d)>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (\w+) .*)");

TEST_F(JournalPriorities, EachTextLogLineStartsWithItsPriorityWhenStderrIsTheJournal) {
  write_config("text");
  run_once(device_and_inode(stderr_file()));
  const std::string err = read_file(stderr_file());
  std::map<std::string, int> seen;
  for (const std::string& line : lines_of(err)) {
    std::smatch match;
    ASSERT_TRUE(std::regex_match(line, match, kTextLine)) << line << "\nin\n" << err;
    ASSERT_TRUE(kPriority.contains(match[2])) << line;
    EXPECT_EQ(match[1], kPriority.at(match[2])) << line;
    ++seen[match[2]];
  }
  for (const char* level : {"debug", "info", "warning", "error"}) {
    EXPECT_GT(seen[level], 0) << level << " in\n" << err;
  }
  EXPECT_TRUE(contains(err, " error pack not loaded: ")) << err;
}

TEST_F(JournalPriorities, EachJsonLogLineStartsWithItsPriorityWhenStderrIsTheJournal) {
  write_config("json");
  run_once(device_and_inode(stderr_file()));
  const std::string err = read_file(stderr_file());
  std::map<std::string, int> seen;
  int json_lines = 0;
  for (const std::string& line : lines_of(err)) {
    std::string level;
    std::smatch match;
    if (std::regex_match(line, std::regex(R"(<\d>\{.*\})"))) {
      // <PRIORITY>{"level": ..., "message": ..., "time": ...}: the journal
      // takes the prefix off and keeps the JSON.
      level = nlohmann::json::parse(line.substr(3)).at("level");
      ++json_lines;
    } else {
      // Packs are loaded before the config (and its log format) is read:
      // what loading them logs is text.
      ASSERT_TRUE(std::regex_match(line, match, kTextLine)) << line << "\nin\n" << err;
      level = match[2];
    }
    ASSERT_TRUE(kPriority.contains(level)) << line;
    EXPECT_EQ(line.substr(1, 1), kPriority.at(level)) << line;
    ++seen[level];
  }
  EXPECT_GT(json_lines, 0) << err;
  for (const char* level : {"debug", "info", "warning", "error"}) {
    EXPECT_GT(seen[level], 0) << level << " in\n" << err;
  }
}

TEST_F(JournalPriorities, LinesAreUnchangedWhenStderrIsNotTheJournal) {
  write_config("text");
  // No JOURNAL_STREAM; one that names another stream (a process started
  // by a service whose stderr was the journal, writing to a file now); one
  // that is not DEVICE:INODE.
  write_file(harness_.file("other"), "");
  for (const std::optional<std::string>& journal_stream :
       {std::optional<std::string>(), std::optional(device_and_inode(harness_.file("other"))),
        std::optional<std::string>("journal")}) {
    write_file(stderr_file(), "");
    run_once(journal_stream);
    const std::string err = read_file(stderr_file());
    EXPECT_TRUE(contains(err, " error pack not loaded: ")) << err;
    for (const std::string& line : lines_of(err)) {
      EXPECT_TRUE(std::regex_match(line, std::regex(R"(\d{4}-\d\d-\d\dT.*)")))
          << journal_stream.value_or("(unset)") << ": " << line;
    }
  }
}

TEST(JournalErrors, AnErrorThatStopsTheHostIsAnErrorInTheJournal) {
  TempDir dir;
  const auto file = dir / "stderr";
  write_file(file, "");
  // The unit's ExecStartPre (config check) and the monitor refuse a config
  // that is not there: the reason must reach `journalctl -p err`.
  const std::string missing = (dir / "missing.yaml").string();
  for (const auto& args :
       {std::vector<std::string>{"--config", missing}, {"config", "check", "--config", missing}}) {
    write_file(file, "");
    const CommandResult result = run_host(file, args, device_and_inode(file));
    EXPECT_EQ(result.exit_code, 1) << args.front();
    const std::string err = read_file(file);
    ASSERT_FALSE(err.empty()) << args.front();
    for (const std::string& line : lines_of(err)) {
      EXPECT_TRUE(line.starts_with("<3>")) << line;
    }
    EXPECT_TRUE(contains(err, "missing.yaml")) << err;
  }
  // Bad usage is an error too.
  write_file(file, "");
  EXPECT_EQ(run_host(file, {"--frobnicate"}, device_and_inode(file)).exit_code, 2);
  EXPECT_EQ(read_file(file),
            "<3>operator-host: unknown option '--frobnicate'; see 'operator-host --help'\n");
  // No words at all print the usage after the error: each line is an error.
  write_file(file, "");
  EXPECT_EQ(run_host(file, {}, device_and_inode(file)).exit_code, 2);
  const auto usage = lines_of(read_file(file));
  ASSERT_GT(usage.size(), 2u);
  EXPECT_EQ(usage.front(), "<3>operator-host: give --config FILE to run the monitor, or a command");
  for (const std::string& line : usage) EXPECT_TRUE(line.starts_with("<3>")) << line;
}

}  // namespace
}  // namespace opr::test
