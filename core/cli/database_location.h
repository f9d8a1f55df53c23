// Which ticket database a command uses.
#pragma once

#include <filesystem>
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

// The config that `tickets` commands read when given neither --config nor
// --db, and $OPERATOR_DB is unset: $OPERATOR_CONFIG when set ("" for none),
// else the installed config (operator.yaml in the config folder of this
// build's install prefix: /etc/operator/operator.yaml for the Debian
// package) if that file exists. On a machine running the service,
// `tickets list` then reads the service's database and `tickets ack`
// notifies its receivers, instead of opening an empty database of the
// caller's own.
std::optional<std::filesystem::path> default_config();

}  // namespace opr::cli
