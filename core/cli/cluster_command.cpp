// operator-host cluster status: the hosts sharing a PostgreSQL ticket
// database, the targets each runs and since when, and the targets nobody
// runs (cluster/lease_keeper.h says how they are shared).
#include <soci/soci.h>

#include <iostream>

#include "cli/command_output.h"
#include "cli/commands.h"
#include "cli/database_location.h"
#include "cli/table.h"
#include "cluster/cluster_status.h"
#include "config/config.h"
#include "config/raw_config.h"
#include "tickets/connection.h"
#include "tickets/ticket_store.h"

namespace opr::cli {

namespace {

// The config's target names (nothing is checked against packs), shown as
// free when no host holds them.
std::vector<std::string> configured_targets(const config::RawConfig& raw) {
  std::vector<std::string> names;
  for (const auto& target : raw.targets.items) {
    if (const auto* name = target.find("name")) names.push_back(name->text);
  }
  return names;
}

std::string state_of(const cluster::TargetStatus& target) {
  if (target.host.empty()) return "free";
  return target.expired ? "expired" : "owned";
}

nlohmann::ordered_json status_json(const cluster::ClusterStatus& status) {
  nlohmann::ordered_json json;
  json["now"] = format_utc(status.now);
  json["hosts"] = nlohmann::ordered_json::array();
  for (const auto& host : status.hosts) {
    json["hosts"].push_back({{"host", host.host},
                             {"live", host.live},
                             {"targets", host.targets},
                             {"chores", host.chores},
                             {"started_at", format_utc(host.started_at)},
                             {"heartbeat_at", format_utc(host.heartbeat_at)}});
  }
  json["targets"] = nlohmann::ordered_json::array();
  for (const auto& target : status.targets) {
    nlohmann::ordered_json entry;
    entry["target"] = target.target;
    entry["state"] = state_of(target);
    if (target.host.empty()) {
      entry["host"] = nullptr;
      entry["since"] = nullptr;
      entry["expires_at"] = nullptr;
    } else {
      entry["host"] = target.host;
      entry["since"] = format_utc(target.since);
      entry["expires_at"] = format_utc(target.expires_at);
    }
    json["targets"].push_back(std::move(entry));
  }
  return json;
}

void print_status(const cluster::ClusterStatus& status) {
  if (status.hosts.empty()) {
    std::cout << "no host has joined yet\n";
  } else {
    Table hosts({{"HOST"},
                 {"STATE"},
                 {"TARGETS", Table::Align::right},
                 {"CHORES"},
                 {"STARTED"},
                 {"LAST RENEWAL"}});
    for (const auto& host : status.hosts) {
      hosts.add_row({host.host, host.live ? "live" : "gone", std::to_string(host.targets),
                     host.chores ? "yes" : "", format_utc(host.started_at),
                     format_utc(host.heartbeat_at)});
    }
    hosts.print(std::cout, terminal_width());
  }
  if (status.targets.empty()) return;
  std::cout << "\n";
  Table targets({{"TARGET"}, {"STATE"}, {"HOST"}, {"SINCE"}});
  for (const auto& target : status.targets) {
    targets.add_row({target.target, state_of(target), target.host.empty() ? "-" : target.host,
                     target.host.empty() ? "-" : format_utc(target.since)});
  }
  targets.print(std::cout, terminal_width());
}

}  // namespace

int run(const GlobalOptions& global, const ClusterStatusRequest&) {
  std::optional<std::string> config_database;
  std::vector<std::string> configured;
  if (global.config) {
    const auto raw = config::read_config(*global.config);
    if (!global.database) config_database = config::database(*raw);
    configured = configured_targets(*raw);
  }
  const std::string location = database_location(global.database, config_database);
  const tickets::ConnectionTarget target = tickets::parse_connection(location);
  if (target.backend != "postgresql") {
    throw tickets::StoreError("the ticket database " + target.display +
                              " is not PostgreSQL: one monitor runs every target there; hosts "
                              "share targets only on a PostgreSQL database");
  }
  tickets::TicketStore::open(location);  // migrated: the cluster's tables exist
  cluster::ClusterStatus status;
  try {
    const auto sql = tickets::connect(target);
    status = cluster::read_cluster_status(*sql, configured);
  } catch (const soci::soci_error& e) {
    throw tickets::StoreError(target.shown("ticket database " + target.display + ": " + e.what()));
  }
  if (global.json) {
    print_json(status_json(status));
  } else {
    print_status(status);
  }
  return 0;
}

}  // namespace opr::cli
