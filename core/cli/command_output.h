// What every command prints, in one shape whichever command it is: its
// result on stdout (with --json, one JSON document), and an error on
// stderr, as text or, with --json, as one JSON object.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "cli/command_line.h"
#include "config/config.h"

namespace opr::cli {

// The log settings a command runs with: `log` (the config's, or the
// defaults), as JSON lines when it was given --json, so that everything
// on stderr (log lines, then the error) is JSON then.
config::LogConfig command_log(const GlobalOptions& global, config::LogConfig log = {});

// `json` on stdout, indented, then a newline: a command's whole --json
// output.
void print_json(const nlohmann::ordered_json& json);

// An error that ends a command with `exit_code`. As text: "operator-host: "
// and `message` (its line breaks kept, what it quotes escaped). With
// `json`: {"error": message, "exit_code": N} on one line, with "errors"
// listing `all` when the command found more than one, and "warnings"
// listing `warnings` when there are any (as text, the command printed them
// as they came). Either way, one thing on stderr that a caller can read
// whole.
void print_error(bool json, const std::string& message, int exit_code,
                 const std::vector<std::string>& all = {},
                 const std::vector<std::string>& warnings = {});

}  // namespace opr::cli
