// operator-host tickets list|show|ack|diagnose|resolve|hold|unhold
#include <boost/program_options.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "cli/database_location.h"
#include "cli/table.h"
#include "cli/tickets_json.h"
#include "cli/tickets_text.h"
#include "common/json_output.h"
#include "common/terminal_text.h"
#include "config/config.h"
#include "tickets/ticket_store.h"

namespace po = boost::program_options;

namespace opr::cli {

namespace {

constexpr const char* kTicketsUsage = R"(Usage:
  operator-host tickets list [--status S[,S...]] [--target T] [--check C] [--all] [--limit N] [--json]
  operator-host tickets show ID [--json]
  operator-host tickets ack|resolve|hold|unhold ID [--note TEXT]
  operator-host tickets diagnose ID (--text TEXT | --file PATH | -)
The database comes from --db, else the config's `database`, else $OPERATOR_DB,
else $XDG_STATE_HOME/operator/tickets.db (~/.local/state/operator/tickets.db).
)";

// Parses a subcommand's words; prints its help and returns false on --help.
bool parse(const std::string& name, const std::vector<std::string>& args,
           po::options_description options, const po::positional_options_description& positional,
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
    throw UsageError{"tickets " + name + ": " + e.what()};
  }
  if (vm.count("help")) {
    std::cout << kTicketsUsage << "\nOptions of tickets " << name << ":\n" << options << "\n";
    return false;
  }
  return true;
}

int64_t ticket_id(const std::string& name, const po::variables_map& vm) {
  if (!vm.count("id")) throw UsageError{"tickets " + name + ": which ticket? give its ID"};
  const std::string text = vm["id"].as<std::string>();
  try {
    size_t used = 0;
    const long long id = std::stoll(text, &used);
    if (used == text.size() && id > 0) return id;
  } catch (const std::exception&) {
  }
  throw UsageError{"tickets " + name + ": a ticket ID is a positive number, not '" + text + "'"};
}

std::unique_ptr<tickets::TicketStore> open_store(const GlobalOptions& global) {
  std::optional<std::string> config_database;
  if (global.config && !global.database) {
    // Only the `database` key matters here; the targets are not checked.
    config_database = config::database(*config::read_config(*global.config));
  }
  return tickets::TicketStore::open(database_location(global.database, config_database));
}

std::vector<tickets::Status> parse_statuses(const std::string& text) {
  std::vector<tickets::Status> statuses;
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) {
    if (part.empty()) continue;
    const auto status = tickets::parse_status(part);
    if (!status) {
      throw UsageError{"tickets list: unknown status '" + part +
                       "' (open, acknowledged, diagnosed or resolved)"};
    }
    statuses.push_back(*status);
  }
  return statuses;
}

int list_command(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("status", po::value<std::string>(), "only these statuses, comma-separated")(
      "target", po::value<std::string>(), "only this target")(
      "check", po::value<std::string>(), "only this check")("all", po::bool_switch(),
                                                            "resolved tickets too")(
      "limit", po::value<int>(), "at most N tickets (the newest)")("json", po::bool_switch(),
                                                                   "print a JSON array");
  po::variables_map vm;
  if (!parse("list", args, options, {}, vm)) return 0;

  tickets::ListFilter filter;
  if (vm.count("status")) filter.statuses = parse_statuses(vm["status"].as<std::string>());
  filter.include_resolved = vm["all"].as<bool>();
  if (vm.count("target")) filter.target = vm["target"].as<std::string>();
  if (vm.count("check")) filter.check = vm["check"].as<std::string>();
  if (vm.count("limit")) {
    filter.limit = vm["limit"].as<int>();
    if (*filter.limit <= 0) throw UsageError{"tickets list: --limit takes a positive number"};
  }

  const auto found = open_store(global)->list(filter);
  if (vm["json"].as<bool>()) {
    nlohmann::ordered_json json = nlohmann::ordered_json::array();
    for (const auto& ticket : found) json.push_back(ticket_json(ticket));
    std::cout << json_output(json, 2) << "\n";
  } else if (found.empty()) {
    std::cout << (filter.statuses.empty() && !filter.include_resolved ? "no open tickets\n"
                                                                      : "no tickets\n");
  } else {
    print_ticket_table(std::cout, found, terminal_width(), now_ms());
  }
  return 0;
}

int show_command(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("json", po::bool_switch(), "print a JSON object");
  po::positional_options_description positional;
  positional.add("id", 1);
  po::variables_map vm;
  if (!parse("show", args, options, positional, vm)) return 0;
  const int64_t id = ticket_id("show", vm);

  auto store = open_store(global);
  const auto ticket = store->get(id);
  if (!ticket) throw tickets::TicketError("no ticket " + std::to_string(id));
  const auto events = store->events(id);
  if (vm["json"].as<bool>()) {
    std::cout << json_output(ticket_json(*ticket, events), 2) << "\n";
  } else {
    print_ticket_details(std::cout, *ticket, events);
  }
  return 0;
}

int change_command(const GlobalOptions& global, const std::string& name,
                   const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("note", po::value<std::string>()->default_value(""),
                        "why, for the ticket's timeline");
  po::positional_options_description positional;
  positional.add("id", 1);
  po::variables_map vm;
  if (!parse(name, args, options, positional, vm)) return 0;
  const int64_t id = ticket_id(name, vm);
  const std::string note = vm["note"].as<std::string>();
  const std::string actor = tickets::current_user_name();

  auto store = open_store(global);
  if (name == "ack") {
    store->acknowledge(id, actor, note);
    std::cout << "ticket " << id << " is acknowledged\n";
  } else if (name == "resolve") {
    const bool was_held = store->get(id).value_or(tickets::Ticket{}).held;
    store->resolve(id, actor, note);
    std::cout << "ticket " << id << " is resolved" << (was_held ? " (hold released)" : "") << "\n";
  } else if (name == "hold") {
    store->hold(id, actor, note);
    std::cout << "ticket " << id << " is held: the monitor will not resolve it\n";
  } else {
    store->unhold(id, actor, note);
    std::cout << "ticket " << id << " is no longer held\n";
  }
  return 0;
}

std::string read_all(std::istream& in) {
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The whole file, or a TicketError naming it (a folder opens, and fails
// only when read).
std::string read_diagnosis_file(const std::string& path) {
  errno = 0;
  std::ifstream file(path, std::ios::binary);
  if (file) {
    try {
      return read_all(file);
    } catch (const std::exception&) {
    }
  }
  throw tickets::TicketError("cannot read " + path +
                             (errno != 0 ? std::string(": ") + std::strerror(errno) : ""));
}

int diagnose_command(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("text", po::value<std::string>(), "the diagnosis")(
      "file", po::value<std::string>(), "read the diagnosis from this file");
  po::positional_options_description positional;
  positional.add("id", 1).add("source", 1);
  po::variables_map vm;
  if (!parse("diagnose", args, options, positional, vm)) return 0;
  const int64_t id = ticket_id("diagnose", vm);

  const bool from_stdin = vm.count("source") && vm["source"].as<std::string>() == "-";
  if (vm.count("source") && !from_stdin) {
    throw UsageError{"tickets diagnose: unexpected '" + vm["source"].as<std::string>() +
                     "' (give --text TEXT, --file PATH or - for stdin)"};
  }
  if (vm.count("text") + vm.count("file") + (from_stdin ? 1 : 0) != 1) {
    throw UsageError{"tickets diagnose: give exactly one of --text TEXT, --file PATH or -"};
  }
  std::string diagnosis;
  if (vm.count("text")) {
    diagnosis = vm["text"].as<std::string>();
  } else if (vm.count("file")) {
    diagnosis = read_diagnosis_file(vm["file"].as<std::string>());
  } else {
    diagnosis = read_all(std::cin);
  }
  while (!diagnosis.empty() && (diagnosis.back() == '\n' || diagnosis.back() == '\r')) {
    diagnosis.pop_back();
  }

  open_store(global)->diagnose(id, tickets::current_user_name(), diagnosis);
  std::cout << "ticket " << id << " is diagnosed\n";
  return 0;
}

}  // namespace

int tickets_command(const GlobalOptions& global, const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError{std::string("tickets: which command?\n") + kTicketsUsage};
  const std::string& name = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (name == "--help" || name == "-h" || name == "help") {
    std::cout << kTicketsUsage;
    return 0;
  }
  try {
    if (name == "list") return list_command(global, rest);
    if (name == "show") return show_command(global, rest);
    if (name == "ack" || name == "resolve" || name == "hold" || name == "unhold") {
      return change_command(global, name, rest);
    }
    if (name == "diagnose") return diagnose_command(global, rest);
  } catch (const tickets::TicketError& e) {
    std::cerr << "operator-host: " << escape_for_terminal(e.what(), TextLayout::lines) << "\n";
    return 1;
  }
  throw UsageError{"tickets: unknown command '" + name +
                   "' (list, show, ack, diagnose, resolve, hold or unhold)"};
}

}  // namespace opr::cli
