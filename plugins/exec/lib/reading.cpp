#include "reading.h"

#include <string>

#include "perfdata.h"
#include "text.h"

namespace opr::exec {
namespace {

// ": <stderr's last line>" when it wrote one: usually the reason it gave up.
std::string stderr_hint(std::string_view err) {
  const std::string_view line = last_line(err);
  return line.empty() ? "" : ": " + excerpt(line);
}

const char* state_name(int exit_code) {
  switch (exit_code) {
    case 0:
      return "OK";
    case 1:
      return "WARNING";
    case 2:
      return "CRITICAL";
    default:
      return "UNKNOWN";
  }
}

// A plugin's output: the first line's text, the long text of the lines
// after it, and the performance data of the first line (after '|') and of
// every line from the first later one holding a '|'.
struct PluginOutput {
  std::string message;
  std::string long_text;
  std::string perfdata;
};

PluginOutput split_output(std::string_view out) {
  PluginOutput output;
  const auto lines = split_lines(out);
  bool in_perfdata = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (in_perfdata) {
      output.perfdata += " " + std::string(line);
      continue;
    }
    const size_t bar = line.find('|');
    const std::string_view text = line.substr(0, bar);
    if (i == 0) {
      output.message = excerpt(trim(text), 1024);
    } else {
      output.long_text += (output.long_text.empty() ? "" : "\n") + std::string(text);
    }
    if (bar != std::string_view::npos) {
      output.perfdata += " " + std::string(line.substr(bar + 1));
      in_perfdata = i > 0;  // on the first line, '|' ends that line's text only
    }
  }
  return output;
}

}  // namespace

Outcome read_nagios(int exit_code, std::string_view out, std::string_view err) {
  Outcome outcome;
  const PluginOutput output = split_output(out);
  const PerfdataReading perfdata = parse_perfdata(output.perfdata);
  std::vector<Fact> facts = perfdata_facts(perfdata.items);
  if (!perfdata.notes.empty()) {
    std::string notes;
    for (const auto& note : perfdata.notes) notes += (notes.empty() ? "" : "; ") + note;
    facts.push_back({"perfdata_ignored", notes, false});
  }
  if (exit_code > 3) {
    outcome.failure = "exited with status " + std::to_string(exit_code) +
                      " (a plugin exits with 0 to 3)" +
                      (output.message.empty() ? stderr_hint(err) : ": " + output.message);
    return outcome;
  }
  const std::string message = !output.message.empty() ? output.message
                                                      : std::string(state_name(exit_code)) +
                                                            " (exit " + std::to_string(exit_code) +
                                                            ") with no output" + stderr_hint(err);
  if (exit_code == 3) {
    // UNKNOWN: the plugin could not tell, which resolves nothing.
    outcome.failure = message;
    return outcome;
  }
  if (exit_code == 0) {
    outcome.run_facts = std::move(facts);
    return outcome;
  }
  facts.push_back({"exit_code", std::to_string(exit_code), true});
  if (!trim(output.long_text).empty()) {
    facts.push_back({"long_output", excerpt(trim(output.long_text), 4096, true), false});
  }
  outcome.findings.push_back(
      {"", message, exit_code == 1 ? Level::kWarning : Level::kCritical, std::move(facts)});
  return outcome;
}

Outcome read_run(Mode mode, const ProcessResult& result, size_t max_output) {
  Outcome outcome;
  switch (result.end) {
    case ProcessResult::End::not_started:
      outcome.failure = result.error;
      return outcome;
    case ProcessResult::End::cancelled:
      outcome.failure =
          "timed out: the program was still running at the run's deadline; its process group "
          "was stopped (SIGTERM, then SIGKILL)";
      return outcome;
    case ProcessResult::End::output_too_large:
      outcome.failure = "the program wrote more than " + std::to_string(max_output) +
                        " bytes to stdout and stderr (max_output_bytes); it was stopped";
      return outcome;
    case ProcessResult::End::signaled:
      outcome.failure = "the program " + describe_end(result) + stderr_hint(result.err);
      return outcome;
    case ProcessResult::End::exited:
      break;
  }
  if (mode == Mode::kNagios) return read_nagios(result.exit_code, result.out, result.err);
  if (result.exit_code != 0) {
    outcome.failure = "the program " + describe_end(result) + stderr_hint(result.err);
    return outcome;
  }
  return read_lines(result.out);
}

}  // namespace opr::exec
