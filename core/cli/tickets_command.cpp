// operator-host tickets
// list|watch|show|ack|diagnose|note|resolve|hold|unhold|silence|silences|unsilence
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command_output.h"
#include "cli/commands.h"
#include "cli/database_location.h"
#include "cli/table.h"
#include "cli/tickets_text.h"
#include "cli/tickets_watch.h"
#include "common/terminal_text.h"
#include "config/config.h"
#include "config/notify_reading.h"
#include "config/raw_config.h"
#include "notify/router.h"
#include "tickets/connection.h"
#include "tickets/ticket_json.h"
#include "tickets/ticket_store.h"

namespace opr::cli {

namespace {

// The database, and, with a config, its receivers: a person's change then
// notifies them as the monitor's changes do. Targets are not checked
// against packs (none is loaded); only their labels are read.
// `sqlite_file`, when given, is set to the database's file (nullopt when it
// is not an SQLite file).
std::unique_ptr<tickets::TicketStore> open_store(
    const GlobalOptions& global, std::optional<std::filesystem::path>* sqlite_file = nullptr) {
  std::optional<std::string> config_database;
  tickets::StoreOptions options;
  std::optional<std::filesystem::path> config_file = global.config;
  if (!config_file && !global.database) config_file = default_config();
  if (config_file) {
    std::shared_ptr<const config::RawConfig> raw;
    try {
      raw = config::read_config(*config_file);
    } catch (const std::exception& e) {
      if (global.config) throw;
      throw std::runtime_error(std::string(e.what()) +
                               " (read because neither --config nor --db was given; give one, "
                               "or run as a user who can read it)");
    }
    if (!global.database) config_database = config::database(*raw);
    config::Config routing = raw->settings;
    if (!routing.receivers.empty()) {
      routing.targets = config::label_targets(*raw);
      options.router = notify::make_router(routing);
    }
  }
  const std::string location = database_location(global.database, config_database);
  if (sqlite_file) *sqlite_file = tickets::parse_connection(location).sqlite_file;
  return tickets::TicketStore::open(location, options);
}

// A TicketError naming what could not be read, and why when the system
// said (a folder opens, and fails only when read).
tickets::TicketError cannot_read(const std::string& source) {
  return tickets::TicketError("cannot read " + source +
                              (errno != 0 ? std::string(": ") + std::strerror(errno) : ""));
}

// A diagnosis or note from a file or stdin: at most kMaxTicketText bytes
// are read, so /dev/zero is refused rather than read forever.
std::string read_ticket_text(std::istream& in, const std::string& source,
                             const std::string& command) {
  std::string text(kMaxTicketText + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw cannot_read(source);
  text.resize(static_cast<size_t>(in.gcount()));
  if (auto problem = ticket_text_problem(source, text)) {
    throw tickets::TicketError("tickets " + command + ": " + *problem);
  }
  return text;
}

// The text of a diagnose or note request, without its trailing newlines.
std::string text_of(const TicketDiagnoseRequest& request, const std::string& command) {
  std::string text;
  switch (request.source) {
    case TicketDiagnoseRequest::Source::text:
      text = request.text;
      break;
    case TicketDiagnoseRequest::Source::file: {
      errno = 0;
      std::ifstream file(request.text, std::ios::binary);
      if (!file) throw cannot_read(request.text);
      text = read_ticket_text(file, request.text, command);
      break;
    }
    case TicketDiagnoseRequest::Source::standard_input:
      text = read_ticket_text(std::cin, "standard input", command);
      break;
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// Who makes a change: --actor, else the person running the command.
std::string actor_of(const std::string& given) {
  return given.empty() ? tickets::current_user_name() : given;
}

// `ticket` as `tickets show --json` prints it: with its timeline and
// notifications.
nlohmann::ordered_json shown_ticket(tickets::TicketStore& store, const tickets::Ticket& ticket) {
  nlohmann::ordered_json json = ticket_json(ticket, store.events(ticket.id));
  json["notifications"] = tickets::notifications_json(store.notifications(ticket.id));
  return json;
}

// What a command that changed ticket `id` prints: `text`, or with --json
// the ticket as it is now.
void print_changed(const GlobalOptions& global, tickets::TicketStore& store, int64_t id,
                   const std::string& text) {
  if (!global.json) {
    std::cout << text << "\n";
    return;
  }
  const auto ticket = store.get(id);
  if (!ticket) throw tickets::TicketError("no ticket " + std::to_string(id));
  print_json(shown_ticket(store, *ticket));
}

}  // namespace

int run(const GlobalOptions& global, const TicketsListRequest& request) {
  const TimePoint now = now_ms();
  const tickets::ListFilter filter = list_filter(request, now);
  const auto found = open_store(global)->list(filter);
  if (global.json) {
    nlohmann::ordered_json json = nlohmann::ordered_json::array();
    for (const auto& ticket : found) json.push_back(ticket_json(ticket));
    print_json(json);
  } else {
    print_ticket_list(std::cout, found, filter, terminal_width(), now,
                      use_color(global.color, STDOUT_FILENO));
  }
  return 0;
}

int run(const GlobalOptions& global, const TicketsWatchRequest& request) {
  std::optional<std::filesystem::path> sqlite_file;
  auto store = open_store(global, &sqlite_file);
  return watch_tickets(*store, sqlite_file, request, global.color);
}

int run(const GlobalOptions& global, const TicketShowRequest& request) {
  auto store = open_store(global);
  const auto ticket = store->get(request.id);
  if (!ticket) throw tickets::TicketError("no ticket " + std::to_string(request.id));
  if (global.json) {
    print_json(shown_ticket(*store, *ticket));
  } else {
    print_ticket_details(std::cout, *ticket, store->events(request.id),
                         store->notifications(request.id));
  }
  return 0;
}

int run(const GlobalOptions& global, const TicketChangeRequest& request) {
  const int64_t id = request.id;
  const std::string& note = request.note;
  const std::string actor = actor_of(request.actor);
  auto store = open_store(global);
  const std::string ticket = "ticket " + std::to_string(id);
  std::string done;
  if (request.action == "ack") {
    std::optional<TimePoint> until;
    if (request.expire) until = now_ms() + *request.expire;
    store->acknowledge(id, actor, note, until);
    done = ticket + " is acknowledged" + (until ? " until " + format_utc(*until) : "");
  } else if (request.action == "resolve") {
    const bool was_held = store->get(id).value_or(tickets::Ticket{}).held;
    store->resolve(id, actor, note);
    done = ticket + " is resolved" + (was_held ? " (hold released)" : "");
  } else if (request.action == "hold") {
    store->hold(id, actor, note);
    done = ticket + " is held: the monitor will not resolve it";
  } else {
    store->unhold(id, actor, note);
    done = ticket + " is no longer held";
  }
  print_changed(global, *store, id, done);
  return 0;
}

int run(const GlobalOptions& global, const TicketDiagnoseRequest& request) {
  const std::string diagnosis = text_of(request, "diagnose");
  auto store = open_store(global);
  store->diagnose(request.id, actor_of(request.actor), diagnosis);
  print_changed(global, *store, request.id,
                "ticket " + std::to_string(request.id) + " is diagnosed");
  return 0;
}

int run(const GlobalOptions& global, const TicketNoteRequest& request) {
  const std::string note = text_of(request, "note");
  if (note.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw tickets::TicketError("a note needs some text");
  }
  // Any ticket takes a note, resolved ones too: a post-mortem comes after.
  auto store = open_store(global);
  store->add_event(request.id, actor_of(request.actor), "note", note);
  print_changed(global, *store, request.id,
                "ticket " + std::to_string(request.id) + " has a new note");
  return 0;
}

int run(const GlobalOptions& global, const SilenceRequest& request) {
  const TimePoint now = now_ms();
  tickets::Silence silence;
  silence.target = request.target;
  silence.check = request.check;
  silence.subject = request.subject;
  silence.starts_at = now;
  silence.ends_at = request.until ? *request.until : now + *request.duration;
  silence.author = actor_of(request.actor);
  silence.comment = request.comment;
  const tickets::Silence stored = open_store(global)->add_silence(silence, now);
  if (global.json) {
    print_json(tickets::silence_json(stored));
  } else {
    std::cout << "silence " << stored.id << " holds back the notifications of "
              << escape_for_terminal(request.target)
              << (request.check ? " check " + escape_for_terminal(*request.check) : "")
              << (request.subject ? " subject " + escape_for_terminal(*request.subject) : "")
              << " until " << format_utc(stored.ends_at) << "\n";
  }
  return 0;
}

int run(const GlobalOptions& global, const SilencesListRequest& request) {
  const TimePoint now = now_ms();
  const auto found = open_store(global)->silences(now, request.include_expired);
  if (global.json) {
    nlohmann::ordered_json json = nlohmann::ordered_json::array();
    for (const auto& silence : found) json.push_back(tickets::silence_json(silence));
    print_json(json);
  } else if (found.empty()) {
    std::cout << (request.include_expired ? "no silences\n" : "no silences in force\n");
  } else {
    print_silence_table(std::cout, found, terminal_width(), now);
  }
  return 0;
}

int run(const GlobalOptions& global, const UnsilenceRequest& request) {
  const tickets::Silence ended =
      open_store(global)->expire_silence(request.id, actor_of(request.actor), now_ms());
  if (global.json) {
    print_json(tickets::silence_json(ended));
  } else {
    std::cout << "silence " << request.id << " has ended\n";
  }
  return 0;
}

}  // namespace opr::cli
