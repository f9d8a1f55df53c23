// The `control` test pack: each run reads the file named by the check's
// `command_file` parameter and does what it says, so a test can make a check
// pass, report violations, fail, throw, hang or crash on demand.
//
//   ok                                  no violation
//   violate SUBJECT SEVERITY [MESSAGE]  one violation per line; SUBJECT "-" is
//                                       empty, SEVERITY info|warning|critical|default
//   fail MESSAGE                        a failed run with that message
//   throw                               the run throws (a failed run)
//   hang MS                             sleeps MS milliseconds (returns early when
//                                       cancelled), then behaves like `ok`
//   block MS                            sleeps MS milliseconds, ignoring cancellation
//                                       (a pack stuck in a system call)
//   crash                               abort()
//
// A missing or empty file counts as `ok`. When `log_file` is set, each run
// appends "CHECK start" and "CHECK end" lines to it.
#include <operator/plugin.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

using opr::sdk::Fact;
using opr::sdk::NoTarget;
using opr::sdk::Run;

void append_line(const std::optional<std::string>& file, const std::string& line) {
  if (!file || file->empty()) return;
  std::ofstream out(*file, std::ios::app);
  out << line << '\n';
}

op_severity parse_severity(const std::string& word) {
  if (word == "info") return OP_SEVERITY_INFO;
  if (word == "warning") return OP_SEVERITY_WARNING;
  if (word == "critical") return OP_SEVERITY_CRITICAL;
  if (word == "default") return op_severity{};
  throw opr::sdk::CheckFailed("control: unknown severity '" + word + "'");
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
    if (verb == "throw") throw std::runtime_error("control: told to throw");
    if (verb == "crash") std::abort();
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
    throw opr::sdk::CheckFailed("control: unknown command '" + verb + "'");
  }
}

class Probe : public opr::sdk::Check<NoTarget> {
 public:
  void run(NoTarget&, Run& run) override {
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

const opr::sdk::Pack<NoTarget>& control_pack() {
  static const opr::sdk::Pack<NoTarget> pack =
      opr::sdk::PackBuilder<NoTarget>("control", "1.0.0",
                                      "Test fixture: does what its command file says")
          .check<Probe>({.name = "probe",
                         .description = "does what command_file says",
                         .severity = OP_SEVERITY_WARNING,
                         .params = probe_params()})
          .build();
  return pack;
}

}  // namespace

OPR_EXPORT_PACK(control_pack)
