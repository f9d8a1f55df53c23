// operator-host's command line, parsed and never run: the input is the
// arguments, separated by NUL bytes. Any words give a request or a
// UsageError (exit 2); anything else thrown is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <variant>
#include <vector>

#include "cli/command_line.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args;
  std::string word;
  for (size_t i = 0; i < size && args.size() < 64; ++i) {
    if (data[i] == 0) {
      args.push_back(word);
      word.clear();
    } else {
      word.push_back(static_cast<char>(data[i]));
    }
  }
  if (args.size() < 64) args.push_back(word);
  try {
    const opr::cli::CommandLine line = opr::cli::parse_command_line(args);
    // What the parser accepted is what the commands may rely on.
    if (const auto* change = std::get_if<opr::cli::TicketChangeRequest>(&line.request)) {
      if (change->id <= 0 || opr::cli::ticket_text_problem("--note", change->note)) std::abort();
    }
    if (const auto* show = std::get_if<opr::cli::TicketShowRequest>(&line.request)) {
      if (show->id <= 0) std::abort();
    }
    if (const auto* diagnose = std::get_if<opr::cli::TicketDiagnoseRequest>(&line.request)) {
      if (diagnose->id <= 0) std::abort();
      if (diagnose->source == opr::cli::TicketDiagnoseRequest::Source::text &&
          opr::cli::ticket_text_problem("--text", diagnose->text)) {
        std::abort();
      }
    }
    if (std::holds_alternative<opr::cli::ConfigCheckRequest>(line.request) && !line.global.config) {
      std::abort();
    }
  } catch (const opr::cli::UsageError& e) {
    if (e.message.empty()) std::abort();
  }
  return 0;
}
