#include "cli/command_line.h"

#include <operator/plugin.h>

#include <boost/program_options.hpp>

#include <map>
#include <sstream>

#include "common/duration.h"
#include "common/severity.h"
#include "common/terminal_text.h"
#include "common/text_check.h"

namespace po = boost::program_options;

namespace opr::cli {
namespace {

constexpr const char* kUsage = R"(Usage:
  operator-host --config FILE [--once]       run the monitor (--once: one cycle, then exit)
  operator-host --config FILE --once --record DIR   record each check's HTTP as a test file
  operator-host config check --config FILE   validate a config and print the schedule
  operator-host plugins list [--plugin-dir DIR]...
  operator-host plugins test [--plugin-dir DIR]... FILE...
  operator-host tickets list|watch|show|ack|diagnose|note|resolve|hold|unhold|silence|silences|unsilence ...
  operator-host cluster status [--json]      hosts sharing a PostgreSQL database, their targets
Every command that prints takes --json (with the monitor: --once --json).

Options for every command:
)";

constexpr const char* kConfigUsage =
    "usage: operator-host config check --config FILE [--plugin-dir DIR]... [--json]\n"
    "  Reads the config, loads the packs from its plugin_dirs (--plugin-dir overrides them;\n"
    "  with neither: $OPERATOR_PLUGIN_PATH, else the installed packs), checks every target\n"
    "  and check against what the packs declare, creates and destroys each target's pack\n"
    "  instance (no network: packs must not use it there) and prints the schedule.\n"
    "  Exit code 0 when the config is valid, 1 otherwise (FILE:LINE:COLUMN: message).\n";

constexpr const char* kPluginsUsage =
    "usage: operator-host plugins list [--plugin-dir DIR]... [--json]\n"
    "  Loads every *.so in the plugin folders (default: $OPERATOR_PLUGIN_PATH, else the\n"
    "  installed packs) and prints each pack with its checks and parameters.\n"
    "  Exit code 1 when any pack failed to load.\n"
    "usage: operator-host plugins test [--plugin-dir DIR]... [--json] FILE...\n"
    "  Runs each test file's pack in this process against the file's canned HTTP\n"
    "  answers (no network) and compares each run with what the file expects\n"
    "  (docs/testing-a-pack.md). Exit code 0 when every file passes, 1 otherwise.\n";

constexpr const char* kTicketsUsage = R"(Usage:
  operator-host tickets list [--status S[,S...]] [--target T] [--check C] [--subject S]
      [--severity LEVEL] [--since DURATION|TIME] [--sort id|first-seen|last-seen|severity]
      [--all] [--limit N] [--offset N] [--json]
  operator-host tickets watch [the options of list but --json] [--interval DURATION]
  operator-host tickets show ID [--json]
  operator-host tickets ack ID [--note TEXT] [--expire DURATION] [--json]
  operator-host tickets resolve|hold|unhold ID [--note TEXT] [--json]
  operator-host tickets diagnose ID (--text TEXT | --file PATH | -) [--json]
  operator-host tickets note ID (--text TEXT | --file PATH | -) [--json]
  operator-host tickets silence --target T [--check C] [--subject S] (--for DURATION | --until TIME) --comment TEXT [--json]
  operator-host tickets silences [--all] [--json]
  operator-host tickets unsilence ID [--json]
Every command takes --json: what it prints is one JSON document (a changed
ticket as `show --json` prints it), and an error a JSON object on stderr.
Every command that writes takes --actor NAME: who did it, for the record
(default: the user, or SUDO_USER under sudo).
The database comes from --db, else the config's `database`, else $OPERATOR_DB,
else $XDG_STATE_HOME/operator/tickets.db (~/.local/state/operator/tickets.db).
)";

// A word the user gave, quoted in an error: escaped on one line
// (escape_for_terminal), so that it can neither drive the terminal nor
// forge a line.
std::string quoted_word(const std::string& word) { return "'" + escape_for_terminal(word) + "'"; }

std::string unknown_option(const std::string& word) {
  return "unknown option " + quoted_word(word);
}

// Boost 1.74 fills an error's placeholders (%value%, %canonical_option%,
// ...) by replacing each until none is left, so a word that holds its own
// placeholder (`tickets list --limit %value%`) made the host hang (found by
// fuzz_cli). Here the message is put together from the same template and
// values, each placeholder of the template replaced once. Deriving is only
// the way to read the error's protected values; nothing is constructed.
class OptionErrorText : public po::error_with_option_name {
 public:
  static std::string of(const po::error_with_option_name& e) {
    std::map<std::string, std::string> values = e.*(&OptionErrorText::m_substitutions);
    values["canonical_option"] = e.get_option_name();
    values["prefix"] = (e.*(&OptionErrorText::get_canonical_option_prefix))();
    // A missing value replaces a piece of the template ("option
    // '%canonical_option%'" -> "option"); the template is the library's.
    std::string text = e.m_error_template;
    for (const auto& [name, piece] : e.*(&OptionErrorText::m_substitution_defaults)) {
      if (!values[name].empty() || piece.first.empty()) continue;
      for (size_t at = text.find(piece.first); at != std::string::npos;
           at = text.find(piece.first, at + piece.second.size())) {
        text.replace(at, piece.first.size(), piece.second);
      }
    }
    std::string out;
    for (size_t at = 0; at < text.size();) {
      const size_t open = text.find('%', at);
      const size_t close = open == std::string::npos ? open : text.find('%', open + 1);
      if (close == std::string::npos) {
        out.append(text, at, std::string::npos);
        break;
      }
      const auto value = values.find(text.substr(open + 1, close - open - 1));
      if (value == values.end()) {
        out.append(text, at, close - at);  // a lone '%': keep it, look on from the next
        at = close;
        continue;
      }
      out.append(text, at, open - at).append(escape_for_terminal(value->second));
      at = close + 1;
    }
    return out;
  }
};

// What a parse error says, for a UsageError: an unknown option in the
// words every command uses (unknown_option), the others in Boost's.
std::string usage_text(const po::error& e) {
  if (const auto* unknown = dynamic_cast<const po::unknown_option*>(&e)) {
    return unknown_option(unknown->get_option_name());
  }
  if (const auto* named = dynamic_cast<const po::error_with_option_name*>(&e)) {
    return OptionErrorText::of(*named);
  }
  return e.what();
}

std::string text_of(const po::options_description& options) {
  std::ostringstream out;
  out << options;
  return out.str();
}

bool is_help(const std::string& word) { return word == "--help" || word == "-h"; }

// A word that no command takes: an option, or an argument.
std::string unexpected_word(const std::string& word) {
  return word.starts_with('-') ? unknown_option(word) : "unexpected argument " + quoted_word(word);
}

// `error` from the words of `command` ("" for operator-host itself), ending
// in where to read its usage: every usage error has this shape. A message
// of several lines (the usage itself) is left as it is.
UsageError pointing_at_help(UsageError error, const std::string& command) {
  // Once is enough: the innermost command that knew the words named it.
  if (error.message.find('\n') != std::string::npos || error.message.ends_with("--help'")) {
    return error;
  }
  error.message += "; see 'operator-host " + (command.empty() ? "" : command + " ") + "--help'";
  return error;
}

// ---- commands of one subcommand ---------------------------------------------

// `COMMAND SUBCOMMAND` and nothing more (`config check`, `cluster status`):
// the help text when asked for, else nullopt once the words are checked.
std::optional<ShowText> parse_sole_subcommand(const std::string& command,
                                              const std::string& subcommand, const char* usage,
                                              const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError{command + ": missing subcommand (" + subcommand + ")"};
  if (is_help(args[0]) || args[0] == "help") return ShowText{usage};
  if (args[0] != subcommand) {
    throw UsageError{command + ": unknown subcommand " + quoted_word(args[0]) + " (" + subcommand +
                     ")"};
  }
  for (size_t i = 1; i < args.size(); ++i) {
    if (is_help(args[i])) return ShowText{usage};
    throw UsageError{command + " " + subcommand + ": " + unexpected_word(args[i])};
  }
  return std::nullopt;
}

Request parse_config(const GlobalOptions& global, const std::vector<std::string>& args) {
  if (auto help = parse_sole_subcommand("config", "check", kConfigUsage, args)) return *help;
  if (!global.config) throw UsageError{"config check: --config FILE is required"};
  return ConfigCheckRequest{};
}

constexpr const char* kClusterUsage =
    "usage: operator-host cluster status [--config FILE] [--db URI] [--json]\n"
    "  Lists the hosts sharing the targets on a PostgreSQL ticket database (live or gone,\n"
    "  how many targets each runs, which one runs the chores) and each target's host and\n"
    "  since when; with a config, its targets that no host runs are listed as free.\n";

Request parse_cluster(const std::vector<std::string>& args) {
  if (auto help = parse_sole_subcommand("cluster", "status", kClusterUsage, args)) return *help;
  return ClusterStatusRequest{};
}

// ---- plugins ---------------------------------------------------------------

// plugins test FILE...: `args` start at `test`.
Request parse_plugins_test(const std::vector<std::string>& args) {
  PluginsTestRequest request;
  for (size_t i = 1; i < args.size(); ++i) {
    if (is_help(args[i])) return ShowText{kPluginsUsage};
    if (args[i].starts_with('-')) throw UsageError{"plugins test: " + unknown_option(args[i])};
    request.files.emplace_back(args[i]);
  }
  if (request.files.empty()) throw UsageError{"plugins test: give at least one test FILE"};
  return request;
}

Request parse_plugins(const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError{"plugins: missing subcommand (list or test)"};
  if (is_help(args[0]) || args[0] == "help") return ShowText{kPluginsUsage};
  if (args[0] == "test") return parse_plugins_test(args);
  if (args[0] != "list") {
    throw UsageError{"plugins: unknown subcommand " + quoted_word(args[0]) + " (list or test)"};
  }
  for (size_t i = 1; i < args.size(); ++i) {
    if (is_help(args[i])) return ShowText{kPluginsUsage};
    throw UsageError{"plugins list: " + unexpected_word(args[i])};
  }
  return PluginsListRequest{};
}

// ---- tickets ---------------------------------------------------------------

// Parses a tickets subcommand's words into `vm`; its help text when the
// words ask for it.
std::optional<std::string> parse_tickets_words(const std::string& name,
                                               const std::vector<std::string>& args,
                                               po::options_description options,
                                               const po::positional_options_description& positional,
                                               po::variables_map& vm) {
  options.add_options()("help,h", "show this help");
  po::options_description all;
  all.add(options);
  for (unsigned i = 0; i < positional.max_total_count() && i < 8; ++i) {
    const std::string& word = positional.name_for_position(i);
    if (!all.find_nothrow(word, false)) {
      all.add_options()(word.c_str(), po::value<std::string>(), "");
    }
  }
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError{"tickets " + name + ": " + usage_text(e)};
  }
  if (vm.count("help")) {
    return std::string(kTicketsUsage) + "\nOptions of tickets " + name + ":\n" + text_of(options) +
           "\n";
  }
  return std::nullopt;
}

// The positional ID of a ticket (or of a silence: `what`).
int64_t ticket_id(const std::string& name, const po::variables_map& vm,
                  const std::string& what = "ticket") {
  if (!vm.count("id")) throw UsageError{"tickets " + name + ": which " + what + "? give its ID"};
  const std::string text = vm["id"].as<std::string>();
  try {
    size_t used = 0;
    const long long id = std::stoll(text, &used);
    if (used == text.size() && id > 0) return id;
  } catch (const std::exception&) {
  }
  throw UsageError{"tickets " + name + ": a " + what + " ID is a positive number, not " +
                   quoted_word(text)};
}

void check_ticket_text(const std::string& name, const std::string& option,
                       const std::string& text) {
  if (auto problem = ticket_text_problem(option, text)) {
    throw UsageError{"tickets " + name + ": " + *problem};
  }
}

// --actor NAME, taken by every command that writes.
void add_actor_option(po::options_description& options) {
  options.add_options()("actor", po::value<std::string>(),
                        "who makes the change, for the record (default: the user running it, "
                        "or SUDO_USER under sudo)");
}

// --actor's NAME, checked like a note; empty when not given.
std::string actor_of(const std::string& name, const po::variables_map& vm) {
  if (!vm.count("actor")) return "";
  const std::string actor = vm["actor"].as<std::string>();
  if (actor.find_first_not_of(" \t") == std::string::npos) {
    throw UsageError{"tickets " + name + ": --actor takes a name"};
  }
  check_ticket_text(name, "--actor", actor);
  return actor;
}

std::vector<tickets::Status> parse_statuses(const std::string& command, const std::string& text) {
  std::vector<tickets::Status> statuses;
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) {
    if (part.empty()) continue;
    const auto status = tickets::parse_status(part);
    if (!status) {
      throw UsageError{command + "unknown status " + quoted_word(part) +
                       " (open, acknowledged, diagnosed or resolved)"};
    }
    statuses.push_back(*status);
  }
  return statuses;
}

// The options `tickets list` and `tickets watch` share.
void add_list_options(po::options_description& options) {
  options.add_options()("status", po::value<std::string>(), "only these statuses, comma-separated")(
      "target", po::value<std::string>(), "only this target")(
      "check", po::value<std::string>(), "only this check")("subject", po::value<std::string>(),
                                                            "only this subject (exact match)")(
      "severity", po::value<std::string>(),
      "this severity and worse: info, warning (warning and critical) or critical")(
      "since", po::value<std::string>(),
      "only tickets last seen at or after this: a duration back from now (4h, 30m) or a UTC "
      "time (2026-11-26T18:00:00Z)")(
      "sort", po::value<std::string>(),
      "id (default), first-seen, last-seen: newest first; severity: worst first, then newest")(
      "all", po::bool_switch(), "resolved tickets too")("limit", po::value<int>(),
                                                        "at most N tickets")(
      "offset", po::value<int>(), "skip the first N tickets of the order (paging, with --limit)");
}

std::optional<tickets::ListSort> parse_sort(const std::string& text) {
  if (text == "id") return tickets::ListSort::id;
  if (text == "first-seen") return tickets::ListSort::first_seen;
  if (text == "last-seen") return tickets::ListSort::last_seen;
  if (text == "severity") return tickets::ListSort::severity;
  return std::nullopt;
}

// The filter the options of add_list_options ask for; `name` is the
// command's, for errors.
TicketsListRequest list_request(const std::string& name, const po::variables_map& vm) {
  const std::string command = "tickets " + name + ": ";
  TicketsListRequest request;
  tickets::ListFilter& filter = request.filter;
  if (vm.count("status")) filter.statuses = parse_statuses(command, vm["status"].as<std::string>());
  filter.include_resolved = vm["all"].as<bool>();
  if (vm.count("target")) filter.target = vm["target"].as<std::string>();
  if (vm.count("check")) filter.check = vm["check"].as<std::string>();
  if (vm.count("subject")) filter.subject = vm["subject"].as<std::string>();
  if (vm.count("severity")) {
    const std::string text = vm["severity"].as<std::string>();
    filter.min_severity = parse_severity(text == "warn"   ? "warning"
                                         : text == "crit" ? "critical"
                                                          : text);
    if (!filter.min_severity) {
      throw UsageError{command + "--severity takes info, warning or critical, not " +
                       quoted_word(text)};
    }
  }
  if (vm.count("since")) {
    const std::string text = vm["since"].as<std::string>();
    request.since_ago = parse_duration(text);
    if (!request.since_ago) request.since = parse_time(text);
    if (!request.since_ago && !request.since) {
      throw UsageError{command +
                       "--since takes a duration such as 4h or a time such as "
                       "2026-11-26T18:00:00Z or 2026-11-26T19:00:00+01:00, not " +
                       quoted_word(text)};
    }
  }
  if (vm.count("sort")) {
    const std::string text = vm["sort"].as<std::string>();
    const auto sort = parse_sort(text);
    if (!sort) {
      throw UsageError{command + "--sort takes id, first-seen, last-seen or severity, not " +
                       quoted_word(text)};
    }
    filter.sort = *sort;
  }
  if (vm.count("limit")) {
    filter.limit = vm["limit"].as<int>();
    if (*filter.limit <= 0) throw UsageError{command + "--limit takes a positive number"};
  }
  if (vm.count("offset")) {
    filter.offset = vm["offset"].as<int>();
    if (*filter.offset < 0) throw UsageError{command + "--offset takes a number, 0 or more"};
  }
  return request;
}

Request parse_tickets_list(const std::vector<std::string>& args) {
  po::options_description options;
  add_list_options(options);
  po::variables_map vm;
  if (auto help = parse_tickets_words("list", args, options, {}, vm)) return ShowText{*help};
  TicketsListRequest request = list_request("list", vm);
  return request;
}

Request parse_tickets_watch(const std::vector<std::string>& args) {
  po::options_description options;
  add_list_options(options);
  options.add_options()("interval", po::value<std::string>(),
                        "redraw this often (default 2s), and when the database changes");
  po::variables_map vm;
  if (auto help = parse_tickets_words("watch", args, options, {}, vm)) return ShowText{*help};
  TicketsWatchRequest request{list_request("watch", vm)};
  if (vm.count("interval")) {
    const std::string text = vm["interval"].as<std::string>();
    const auto interval = parse_duration(text);
    if (!interval || interval->count() <= 0) {
      throw UsageError{"tickets watch: --interval takes a duration such as 2s or 500ms, not " +
                       quoted_word(text)};
    }
    request.interval = *interval;
  }
  return request;
}

Request parse_tickets_show(const std::vector<std::string>& args) {
  po::positional_options_description positional;
  positional.add("id", 1);
  po::variables_map vm;
  if (auto help = parse_tickets_words("show", args, {}, positional, vm)) return ShowText{*help};
  return TicketShowRequest{ticket_id("show", vm)};
}

Request parse_tickets_change(const std::string& name, const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("note", po::value<std::string>()->default_value(""),
                        "why, for the ticket's timeline");
  if (name == "ack") {
    options.add_options()("expire", po::value<std::string>(),
                          "acknowledged for this long, e.g. 4h; open again after it");
  }
  add_actor_option(options);
  po::positional_options_description positional;
  positional.add("id", 1);
  po::variables_map vm;
  if (auto help = parse_tickets_words(name, args, options, positional, vm)) {
    return ShowText{*help};
  }
  TicketChangeRequest request;
  request.action = name;
  request.id = ticket_id(name, vm);
  request.note = vm["note"].as<std::string>();
  check_ticket_text(name, "--note", request.note);
  if (vm.count("expire")) {
    const std::string text = vm["expire"].as<std::string>();
    request.expire = parse_duration(text);
    if (!request.expire || request.expire->count() <= 0) {
      throw UsageError{"tickets ack: --expire takes a duration such as 4h or 30m, not " +
                       quoted_word(text)};
    }
  }
  request.actor = actor_of(name, vm);
  return request;
}

// diagnose and note: a text from --text, --file or stdin.
template <typename TextRequest>
Request parse_tickets_text(const std::string& name, const std::string& what,
                           const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("text", po::value<std::string>(), ("the " + what).c_str())(
      "file", po::value<std::string>(), ("read the " + what + " from this file").c_str());
  add_actor_option(options);
  po::positional_options_description positional;
  positional.add("id", 1).add("source", 1);
  po::variables_map vm;
  if (auto help = parse_tickets_words(name, args, options, positional, vm)) {
    return ShowText{*help};
  }
  TextRequest request;
  request.id = ticket_id(name, vm);
  request.actor = actor_of(name, vm);
  const bool from_stdin = vm.count("source") && vm["source"].as<std::string>() == "-";
  if (vm.count("source") && !from_stdin) {
    throw UsageError{"tickets " + name + ": unexpected " +
                     quoted_word(vm["source"].as<std::string>()) +
                     " (give --text TEXT, --file PATH or - for stdin)"};
  }
  if (vm.count("text") + vm.count("file") + (from_stdin ? 1 : 0) != 1) {
    throw UsageError{"tickets " + name + ": give exactly one of --text TEXT, --file PATH or -"};
  }
  if (vm.count("text")) {
    request.source = TicketDiagnoseRequest::Source::text;
    request.text = vm["text"].as<std::string>();
    check_ticket_text(name, "--text", request.text);
  } else if (vm.count("file")) {
    request.source = TicketDiagnoseRequest::Source::file;
    request.text = vm["file"].as<std::string>();
  } else {
    request.source = TicketDiagnoseRequest::Source::standard_input;
  }
  return request;
}

Request parse_tickets_silence(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("target", po::value<std::string>(), "the target to keep quiet")(
      "check", po::value<std::string>(), "only this check of it")(
      "subject", po::value<std::string>(), "only this subject")("for", po::value<std::string>(),
                                                                "how long, e.g. 2h or 30m")(
      "until", po::value<std::string>(), "until this UTC time, e.g. 2026-11-26T18:00:00Z")(
      "comment", po::value<std::string>(), "why, for the record (required)");
  add_actor_option(options);
  po::variables_map vm;
  if (auto help = parse_tickets_words("silence", args, options, {}, vm)) return ShowText{*help};
  SilenceRequest request;
  if (!vm.count("target") || vm["target"].as<std::string>().empty()) {
    throw UsageError{"tickets silence: which target? give --target T"};
  }
  request.target = vm["target"].as<std::string>();
  check_ticket_text("silence", "--target", request.target);
  for (const char* name : {"check", "subject"}) {
    if (!vm.count(name)) continue;
    const std::string value = vm[name].as<std::string>();
    check_ticket_text("silence", std::string("--") + name, value);
    (std::string(name) == "check" ? request.check : request.subject) = value;
  }
  if (vm.count("for") + vm.count("until") != 1) {
    throw UsageError{"tickets silence: give exactly one of --for DURATION or --until TIME"};
  }
  if (vm.count("for")) {
    const std::string text = vm["for"].as<std::string>();
    request.duration = parse_duration(text);
    if (!request.duration || request.duration->count() <= 0) {
      throw UsageError{"tickets silence: --for takes a duration such as 2h or 30m, not " +
                       quoted_word(text)};
    }
  } else {
    const std::string text = vm["until"].as<std::string>();
    request.until = parse_time(text);
    if (!request.until) {
      throw UsageError{
          "tickets silence: --until takes a time such as 2026-11-26T18:00:00Z or "
          "2026-11-26T19:00:00+01:00, not " +
          quoted_word(text)};
    }
  }
  if (!vm.count("comment") ||
      vm["comment"].as<std::string>().find_first_not_of(" \t") == std::string::npos) {
    throw UsageError{"tickets silence: say why with --comment TEXT"};
  }
  request.comment = vm["comment"].as<std::string>();
  check_ticket_text("silence", "--comment", request.comment);
  request.actor = actor_of("silence", vm);
  return request;
}

Request parse_tickets_silences(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("all", po::bool_switch(), "ended silences too");
  po::variables_map vm;
  if (auto help = parse_tickets_words("silences", args, options, {}, vm)) return ShowText{*help};
  return SilencesListRequest{vm["all"].as<bool>()};
}

Request parse_tickets_unsilence(const std::vector<std::string>& args) {
  po::options_description options;
  add_actor_option(options);
  po::positional_options_description positional;
  positional.add("id", 1);
  po::variables_map vm;
  if (auto help = parse_tickets_words("unsilence", args, options, positional, vm)) {
    return ShowText{*help};
  }
  return UnsilenceRequest{ticket_id("unsilence", vm, "silence"), actor_of("unsilence", vm)};
}

// The words after `tickets NAME`, parsed; nullopt for an unknown NAME.
std::optional<Request> parse_tickets_command(const std::string& name,
                                             const std::vector<std::string>& rest) {
  if (name == "list") return parse_tickets_list(rest);
  if (name == "watch") return parse_tickets_watch(rest);
  if (name == "show") return parse_tickets_show(rest);
  if (name == "ack" || name == "resolve" || name == "hold" || name == "unhold") {
    return parse_tickets_change(name, rest);
  }
  if (name == "diagnose") return parse_tickets_text<TicketDiagnoseRequest>(name, "diagnosis", rest);
  if (name == "note") return parse_tickets_text<TicketNoteRequest>(name, "note", rest);
  if (name == "silence") return parse_tickets_silence(rest);
  if (name == "silences") return parse_tickets_silences(rest);
  if (name == "unsilence") return parse_tickets_unsilence(rest);
  return std::nullopt;
}

constexpr const char* kTicketCommands =
    "list, watch, show, ack, diagnose, note, resolve, hold, unhold, silence, silences or unsilence";

Request parse_tickets(const std::vector<std::string>& args) {
  if (args.empty())
    throw UsageError{std::string("tickets: missing subcommand (") + kTicketCommands + ")"};
  const std::string& name = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (is_help(name) || name == "help") return ShowText{kTicketsUsage};
  std::optional<Request> request;
  try {
    request = parse_tickets_command(name, rest);
  } catch (UsageError& e) {
    throw pointing_at_help(std::move(e), "tickets " + name);
  }
  if (!request) {
    throw UsageError{"tickets: unknown command " + quoted_word(name) + " (" + kTicketCommands +
                     ")"};
  }
  return *request;
}

// The words of a command with one subcommand (`config check`, `plugins
// list`), as its usage errors name it.
std::string command_words(const std::string& command, const std::vector<std::string>& rest,
                          const std::string& subcommand) {
  return !rest.empty() && rest.front() == subcommand ? command + " " + subcommand : command;
}

}  // namespace

std::optional<std::string> ticket_text_problem(const std::string& source, std::string_view text) {
  if (text.size() > kMaxTicketText) {
    return source + " is longer than 1 MiB, the most a ticket's note or diagnosis may hold";
  }
  if (auto problem = text_problem(text)) {
    return source + " " + *problem + "; a ticket's note or diagnosis must be UTF-8 text";
  }
  return std::nullopt;
}

namespace {

// Whether `flag` (a switch every command takes) is among `args` before any
// `--`, as the parser would take it.
bool asks_for(const std::vector<std::string>& args, const std::string& flag) {
  for (const std::string& word : args) {
    if (word == "--") return false;  // the rest are positional words
    if (word == flag) return true;
  }
  return false;
}

}  // namespace

std::string version_text(bool json) {
  const std::string abi = std::to_string(OP_ABI_MAJOR) + "." + std::to_string(OP_ABI_MINOR);
  if (json) return R"({"version": ")" OPERATOR_VERSION R"(", "pack_abi": ")" + abi + "\"}\n";
  return "operator-host " OPERATOR_VERSION " (pack ABI " + abi + ")\n";
}

bool asks_once(const std::vector<std::string>& args) { return asks_for(args, "--once"); }

bool asks_json(const std::vector<std::string>& args) { return asks_for(args, "--json"); }

CommandLine parse_command_line(const std::vector<std::string>& args) {
  po::options_description global_desc;
  CommandLine line;
  GlobalOptions& global = line.global;
  std::vector<std::string> plugin_dirs;
  global_desc.add_options()("help,h", "show this help")(
      "version,V", "print the version and the pack ABI it speaks")(
      "config,c", po::value<std::string>(), "config file (YAML)")(
      "db", po::value<std::string>(), "ticket database: sqlite3://db=PATH or a path")(
      "plugin-dir", po::value<std::vector<std::string>>(&plugin_dirs)->composing(),
      "folder of invariant packs (repeatable)")("log-level", po::value<std::string>(),
                                                "debug, info, warning or error")(
      "once", po::bool_switch(&global.once), "run every enabled check once, then exit")(
      "color", po::value<std::string>(), "colour tables: never, auto (default) or always")(
      "json", po::bool_switch(&global.json),
      "print one JSON document (errors: a JSON object on stderr)")(
      "record", po::value<std::string>(),
      "with --once: write each check's HTTP exchanges and outcome as a `plugins test` file in "
      "this folder");
  po::options_description hidden;
  hidden.add_options()("words", po::value<std::vector<std::string>>(), "");
  po::options_description all;
  all.add(global_desc).add(hidden);
  po::positional_options_description positional;
  positional.add("words", -1);

  std::vector<std::string> words;
  try {
    po::parsed_options parsed = po::command_line_parser(args)
                                    .options(all)
                                    .positional(positional)
                                    .allow_unregistered()
                                    .run();
    po::variables_map vm;
    po::store(parsed, vm);
    po::notify(vm);
    if (vm.count("help") && !vm.count("words")) {
      line.request = ShowText{kUsage + text_of(global_desc) + "\n"};
      return line;
    }
    if (vm.count("version")) {
      line.request = ShowVersion{};
      return line;
    }
    if (vm.count("config")) global.config = vm["config"].as<std::string>();
    if (vm.count("db")) global.database = vm["db"].as<std::string>();
    if (vm.count("record")) global.record = vm["record"].as<std::string>();
    if (vm.count("log-level")) global.log_level = vm["log-level"].as<std::string>();
    if (vm.count("color")) {
      const auto mode = parse_color_mode(vm["color"].as<std::string>());
      if (!mode) throw UsageError{"--color takes never, auto or always"};
      global.color = *mode;
    }
    for (const auto& dir : plugin_dirs) global.plugin_dirs.emplace_back(dir);
    // Words and options the global parser does not know, in their order,
    // belong to the subcommand.
    words = po::collect_unrecognized(parsed.options, po::include_positional);
    if (vm.count("help")) words.emplace_back("--help");
  } catch (const po::error& e) {
    throw pointing_at_help(UsageError{usage_text(e)}, "");
  }

  if (words.empty()) {
    if (!global.config) {
      throw UsageError{"give --config FILE to run the monitor, or a command\n" +
                       std::string(kUsage) + text_of(global_desc)};
    }
    if (global.json && !global.once) {
      // The monitor prints nothing but its log (log.format: json).
      throw pointing_at_help(UsageError{"--json prints what --once found; the monitor's log is "
                                        "JSON with the config's log.format: json"},
                             "");
    }
    if (global.record && !global.once) {
      throw pointing_at_help(UsageError{"--record DIR goes with --once"}, "");
    }
    line.request = MonitorRequest{};
    return line;
  }
  const std::string command = words.front();
  const std::vector<std::string> rest(words.begin() + 1, words.end());
  try {
    if (command == "plugins") {
      line.request = parse_plugins(rest);
    } else if (command == "tickets") {
      line.request = parse_tickets(rest);
      if (global.json && std::holds_alternative<TicketsWatchRequest>(line.request)) {
        // A screen redrawn in place has no JSON form; a script polls list.
        throw pointing_at_help(
            UsageError{"tickets watch: --json is not offered; use tickets list --json"},
            "tickets watch");
      }
    } else if (command == "config") {
      line.request = parse_config(global, rest);
    } else if (command == "cluster") {
      line.request = parse_cluster(rest);
    } else {
      throw pointing_at_help(
          UsageError{command.starts_with('-') ? unknown_option(command)
                                              : "unknown command " + quoted_word(command)},
          "");
    }
  } catch (UsageError& e) {
    const std::string words_of =
        command == "config"    ? command_words(command, rest, "check")
        : command == "cluster" ? command_words(command, rest, "status")
        : command == "plugins"
            ? command_words(command, rest,
                            !rest.empty() && rest.front() == "test" ? "test" : "list")
            : command;
    throw pointing_at_help(std::move(e), words_of);
  }
  return line;
}

}  // namespace opr::cli
