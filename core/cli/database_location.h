// Which ticket database a command uses.
#pragma once

#include <optional>
#include <string>

namespace opr::cli {

// The first that is set and not empty: `--db` (cli_database), the config's
// `database` (config_database), $OPERATOR_DB, then
// $XDG_STATE_HOME/operator/tickets.db (when that variable is an absolute
// path), else ~/.local/state/operator/tickets.db. The result is a
// connection string or path for tickets::TicketStore::open. (The config
// reader already made a relative path in the config relative to its file.)
std::string database_location(const std::optional<std::string>& cli_database,
                              const std::optional<std::string>& config_database);

}  // namespace opr::cli
