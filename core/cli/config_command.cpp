// operator-host config check --config FILE [--plugin-dir DIR]... [--json]
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli/command_output.h"
#include "cli/commands.h"
#include "cli/table.h"
#include "common/duration.h"
#include "common/terminal_text.h"
#include "config/config.h"
#include "engine/instance_check.h"
#include "engine/setup.h"
#include "http/client.h"

namespace opr::cli {
namespace {

// An error as stderr shows it: one line, which may quote the config and
// what packs said, so that neither can forge another.
void print_config_error(const std::string& message) {
  std::cerr << escape_for_terminal(message) << "\n";
}

// "a=1,b=2", or "-" when empty.
std::string joined(const config::LabelMap& map) {
  std::string text;
  for (const auto& [name, value] : map) text += (text.empty() ? "" : ",") + name + "=" + value;
  return text.empty() ? "-" : text;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ",") + name;
  return text.empty() ? "*" : text;
}

// A URL without the user and password it may carry.
std::string without_credentials(const std::string& url) {
  const size_t start = url.find("://");
  if (start == std::string::npos) return url;
  const size_t end = url.find_first_of("/?#", start + 3);
  const size_t at = url.rfind('@', end == std::string::npos ? url.size() : end);
  if (at == std::string::npos || at < start) return url;
  return url.substr(0, start + 3) + "***@" + url.substr(at + 1);
}

// The labels and annotations of every check that has some.
void print_labels(const config::Config& config) {
  Table table({{"TARGET"}, {"CHECK"}, {"LABELS"}, {"ANNOTATIONS"}});
  for (const auto& target : config.targets) {
    for (const auto& check : target.checks) {
      if (check.labels.empty() && check.annotations.empty()) continue;
      table.add_row({target.name, check.name, joined(check.labels), joined(check.annotations)});
    }
  }
  if (table.empty()) return;
  std::cout << "\n";
  table.print(std::cout);
}

// Where a receiver sends: its URLs without credentials, or its command's
// program (headers and the files' contents are never shown).
std::vector<std::string> destinations_of(const config::ReceiverConfig& receiver) {
  std::vector<std::string> destinations;
  for (const auto& url : receiver.urls) destinations.push_back(without_credentials(url));
  if (!receiver.command.empty()) destinations.push_back(receiver.command.front());
  return destinations;
}

std::vector<std::string> severities_of(const config::ReceiverConfig& receiver) {
  std::vector<std::string> severities;
  for (Severity severity : receiver.match.severities) severities.emplace_back(to_string(severity));
  return severities;
}

// How often a receiver hears of an open ticket again: an Alertmanager's
// resends, another's repeat_interval; zero for never.
std::chrono::milliseconds repeat_interval_of(const config::ReceiverConfig& receiver) {
  return receiver.type == config::ReceiverType::alertmanager ? receiver.resend_interval
                                                             : receiver.repeat_interval;
}

std::string repeat_of(const config::ReceiverConfig& receiver) {
  const auto interval = repeat_interval_of(receiver);
  return interval.count() > 0 ? format_duration(interval) : "-";
}

// What the text's tables show, as one JSON document: the schedule of every
// check with its labels, the receivers, and the pack files that did not
// load (`warnings`).
nlohmann::ordered_json config_json(const std::filesystem::path& file, const config::Config& config,
                                   const std::vector<std::string>& warnings) {
  nlohmann::ordered_json targets = nlohmann::ordered_json::array();
  for (const auto& target : config.targets) {
    nlohmann::ordered_json checks = nlohmann::ordered_json::array();
    for (const auto& check : target.checks) {
      checks.push_back({{"name", check.name},
                        {"enabled", check.enabled},
                        {"interval_ms", check.interval.count()},
                        {"timeout_ms", check.timeout.count()},
                        {"grace_ms", check.grace.count()},
                        {"severity", to_string(check.severity)},
                        {"labels", check.labels},
                        {"annotations", check.annotations}});
    }
    targets.push_back({{"name", target.name}, {"pack", target.pack}, {"checks", checks}});
  }
  nlohmann::ordered_json receivers = nlohmann::ordered_json::array();
  for (const auto& receiver : config.receivers) {
    const auto repeat = repeat_interval_of(receiver);
    receivers.push_back(
        {{"name", receiver.outbox_name()},
         {"type", to_string(receiver.type)},
         {"severities", severities_of(receiver)},
         {"targets", receiver.match.targets},
         {"checks", receiver.match.checks},
         {"labels", receiver.match.labels},
         {"repeat_ms", repeat.count() > 0 ? nlohmann::ordered_json(repeat.count()) : nullptr},
         {"sends_to", destinations_of(receiver)}});
  }
  return {
      {"config", file.string()},
      {"valid", true},
      {"targets", targets},
      {"receivers", receivers},
      {"listen", config.http.listen ? nlohmann::ordered_json(config::to_string(*config.http.listen))
                                    : nullptr},
      {"warnings", warnings}};
}

// Who hears of what.
void print_receivers(const config::Config& config) {
  if (config.receivers.empty()) return;
  Table table({{"RECEIVER"},
               {"TYPE"},
               {"SEVERITY"},
               {"TARGET"},
               {"CHECK"},
               {"LABELS"},
               {"REPEAT"},
               {"SENDS TO"}});
  for (const auto& receiver : config.receivers) {
    std::string destination;
    for (const auto& item : destinations_of(receiver)) {
      destination += (destination.empty() ? "" : " ") + item;
    }
    table.add_row({receiver.outbox_name(), std::string(to_string(receiver.type)),
                   joined(severities_of(receiver)), joined(receiver.match.targets),
                   joined(receiver.match.checks),
                   receiver.match.labels.empty() ? "*" : joined(receiver.match.labels),
                   repeat_of(receiver), destination});
  }
  std::cout << "\n";
  table.print(std::cout);
}

// The errors that make the config invalid (exit 1): each on its own line
// (FILE:LINE:COLUMN: message), or with --json one JSON error listing them
// and the pack files that did not load (`warnings`), which may be why.
void print_errors(const GlobalOptions& global, const std::vector<std::string>& errors,
                  const std::vector<std::string>& warnings) {
  if (global.json) {
    print_error(true, errors.front(), 1, errors, warnings);
  } else {
    for (const auto& error : errors) print_config_error(error);
  }
}

// Every error the monitor would refuse the config for: the config itself,
// then what each target's pack refuses at create().
int check_config(const GlobalOptions& global) {
  // The monitor's own start (same packs, checks and errors); a pack file
  // that did not load is a warning until a target needs it.
  std::vector<std::string> warnings;
  try {
    const engine::Setup setup =
        engine::load_setup(*global.config, global.plugin_dirs, [&](const std::string& line) {
          if (!global.json) print_config_error("warning: " + line);
          warnings.push_back(line);
        });

    const engine::InstanceCheck instances =
        engine::check_instances(setup, std::make_shared<http::Client>());
    if (!instances.errors.empty()) {
      std::vector<std::string> errors;
      for (const auto& error : instances.errors) errors.emplace_back(error.what());
      print_errors(global, errors, warnings);
      if (instances.abandoned) {
        // A pack is still inside create() or destroy() on another thread.
        std::cerr.flush();
        std::_Exit(1);
      }
      return 1;
    }

    const config::Config& config = setup.config;
    if (global.json) {
      print_json(config_json(*global.config, config, warnings));
      return 0;
    }
    Table table(
        {{"TARGET"}, {"CHECK"}, {"ENABLED"}, {"INTERVAL"}, {"TIMEOUT"}, {"GRACE"}, {"SEVERITY"}});
    size_t enabled = 0, total = 0;
    for (const auto& target : config.targets) {
      for (const auto& check : target.checks) {
        ++total;
        if (check.enabled) ++enabled;
        table.add_row({target.name, check.name, check.enabled ? "yes" : "no",
                       format_duration(check.interval), format_duration(check.timeout),
                       format_duration(check.grace), std::string(to_string(check.severity))});
      }
    }
    table.print(std::cout);
    print_labels(config);
    print_receivers(config);
    std::cout << escape_for_terminal(global.config->string()) << ": valid; "
              << config.targets.size() << " target" << (config.targets.size() == 1 ? "" : "s")
              << ", " << enabled << " of " << total << " checks enabled";
    if (!config.receivers.empty()) {
      std::cout << ", " << config.receivers.size() << " receiver"
                << (config.receivers.size() == 1 ? "" : "s");
    }
    if (config.http.listen) {
      std::cout << ", /metrics and health on " << config::to_string(*config.http.listen);
    }
    std::cout << "\n";
    return 0;
  } catch (const config::ConfigError& e) {
    print_errors(global, {e.what()}, warnings);
    return 1;
  }
}

}  // namespace

int run(const GlobalOptions& global, const ConfigCheckRequest&) { return check_config(global); }

}  // namespace opr::cli
