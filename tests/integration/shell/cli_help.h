// What `operator-host ... --help` says, read the way a person reads it: the
// commands, the tickets subcommands and the long options of each. The man
// page and the bash completion are checked against it, so that neither can
// fall behind the command line.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace opr::test {

// One help text: the words that ask for it and what it printed.
struct HelpText {
  std::vector<std::string> args;  // e.g. {"tickets", "list", "--help"}
  std::string text;
};

// The tickets subcommands the usage names ("list", "show", ...), from
// `operator-host tickets --help`.
std::vector<std::string> ticket_commands();

// Every help there is: the top level, config, config check, plugins,
// plugins list, cluster, cluster status, tickets and each tickets
// subcommand. A test failure when
// one does not exit 0.
std::vector<HelpText> every_help();

// The long options (--name) in `text`.
std::set<std::string> long_options(const std::string& text);

// The options block of a help text: what follows "Options for every
// command:" (the top level) or "Options of tickets NAME:" (a subcommand);
// the whole text when it has neither.
std::string options_block(const std::string& text);

}  // namespace opr::test
