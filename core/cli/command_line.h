// operator-host's command line read into one request, with nothing run:
// main runs what it asks for, and tests and the fuzz target can give it any
// words at all. Every malformed word is a UsageError (exit 2; 3 when the
// words ask for --once, see asks_once); its message is one line that ends
// by pointing at the command's --help, the same shape for every command.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/terminal_text.h"
#include "common/time_format.h"
#include "tickets/ticket_store.h"

namespace opr::cli {

// The options every command takes, before or after its name.
struct GlobalOptions {
  std::optional<std::filesystem::path> config;     // --config
  std::optional<std::string> database;             // --db
  std::vector<std::filesystem::path> plugin_dirs;  // --plugin-dir (repeatable)
  std::optional<std::string> log_level;            // --log-level
  bool once = false;                               // --once
  ColorMode color = ColorMode::automatic;          // --color
  // --json: what the command prints is one JSON document on stdout, and
  // an error one JSON object on stderr (cli/error_output.h).
  bool json = false;
  // --record DIR (with --once): each check's HTTP and outcome written as a
  // `plugins test` file in DIR.
  std::optional<std::filesystem::path> record;
};

// Bad usage; main prints the message and exits 2.
struct UsageError {
  std::string message;
};

// Help: printed on stdout, exit 0.
struct ShowText {
  std::string text;
};

// --version: version_text printed on stdout, exit 0.
struct ShowVersion {};

struct MonitorRequest {};      // operator-host --config FILE [--once [--record DIR]]
struct ConfigCheckRequest {};  // config check (--config is in GlobalOptions)

struct PluginsListRequest {};

// plugins test FILE...: each file's runs against its canned HTTP answers.
struct PluginsTestRequest {
  std::vector<std::filesystem::path> files;
};

struct TicketsListRequest {
  tickets::ListFilter filter;  // last_seen_since: from `since_ago` or `since` when run
  // --since: a duration back from when the list is read (so that `tickets
  // watch --since 1h` keeps sliding), or a time.
  std::optional<std::chrono::milliseconds> since_ago;
  std::optional<TimePoint> since;
};

// tickets watch [the filters of list] [--interval DURATION]
struct TicketsWatchRequest {
  TicketsListRequest list;
  std::chrono::milliseconds interval{2000};
};

struct TicketShowRequest {
  int64_t id = 0;
};

// ack, resolve, hold, unhold.
struct TicketChangeRequest {
  std::string action;
  int64_t id = 0;
  std::string note;  // UTF-8 without NUL, at most kMaxTicketText bytes
  std::optional<std::chrono::milliseconds> expire;  // ack --expire: acknowledged this long
  std::string actor;  // --actor; empty: the person running it (current_user_name)
};

struct TicketDiagnoseRequest {
  enum class Source { text, file, standard_input };
  int64_t id = 0;
  Source source = Source::text;
  std::string text;   // --text's TEXT (checked like a note), or --file's PATH
  std::string actor;  // as in TicketChangeRequest
};

// tickets note ID (--text TEXT | --file PATH | -): read as a diagnosis is,
// kept in the timeline of any ticket, resolved ones too.
struct TicketNoteRequest : TicketDiagnoseRequest {};

// tickets silence: keep a target's (check's, subject's) notifications quiet
// from now until `ends`, given as --for DURATION or --until TIME.
struct SilenceRequest {
  std::string target;
  std::optional<std::string> check;
  std::optional<std::string> subject;
  std::optional<std::chrono::milliseconds> duration;  // --for
  std::optional<TimePoint> until;                     // --until
  std::string comment;                                // checked like a note
  std::string actor;                                  // as in TicketChangeRequest
};

// tickets silences [--all]
struct SilencesListRequest {
  bool include_expired = false;
};

// tickets unsilence ID
struct UnsilenceRequest {
  int64_t id = 0;
  std::string actor;  // as in TicketChangeRequest
};

// cluster status: the hosts sharing a PostgreSQL database and their targets.
struct ClusterStatusRequest {};

using Request =
    std::variant<ShowText, ShowVersion, MonitorRequest, ConfigCheckRequest, PluginsListRequest,
                 PluginsTestRequest, TicketsListRequest, TicketsWatchRequest, TicketShowRequest,
                 TicketChangeRequest, TicketDiagnoseRequest, TicketNoteRequest, SilenceRequest,
                 SilencesListRequest, UnsilenceRequest, ClusterStatusRequest>;

struct CommandLine {
  GlobalOptions global;
  Request request;
};

// The most a note or a diagnosis may hold: 1 MiB.
constexpr size_t kMaxTicketText = size_t{1} << 20;

// `args` are argv without the program's name. Throws UsageError for an
// unknown command or option, a missing or malformed argument, and a --text
// or --note that is not UTF-8, holds a NUL or is longer than
// kMaxTicketText; nothing else.
CommandLine parse_command_line(const std::vector<std::string>& args);

// The version and the pack ABI this host speaks: "operator-host 0.1.0
// (pack ABI 1.2)\n", or as one JSON object with `json`.
std::string version_text(bool json);

// Whether `args` (argv without the program's name) ask for --once, read
// even when they do not parse: the word `--once` before any `--`, as the
// parser would take it. Such a command line is a monitoring plugin's, whose
// usage errors exit 3 (UNKNOWN) instead of 2.
bool asks_once(const std::vector<std::string>& args);

// Whether `args` ask for --json, read as asks_once reads --once: errors,
// those of words that do not parse included, are then JSON on stderr.
bool asks_json(const std::vector<std::string>& args);

// Why a diagnosis or note read from `source` (a file's path, "standard
// input" or "--text") cannot be kept: not UTF-8, a NUL byte, longer than
// kMaxTicketText. nullopt when it can.
std::optional<std::string> ticket_text_problem(const std::string& source, std::string_view text);

}  // namespace opr::cli
