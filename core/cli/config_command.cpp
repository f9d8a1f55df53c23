// operator-host config check --config FILE [--plugin-dir DIR]...
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

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
void print_error(const std::string& message) { std::cerr << escape_for_terminal(message) << "\n"; }

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

// How often a receiver hears of an open ticket again: an Alertmanager's
// resends, another's repeat_interval; "-" for never.
std::string repeat_of(const config::ReceiverConfig& receiver) {
  const auto interval = receiver.type == config::ReceiverType::alertmanager
                            ? receiver.resend_interval
                            : receiver.repeat_interval;
  return interval.count() > 0 ? format_duration(interval) : "-";
}

// Who hears of what (headers and the files' contents are never shown).
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
    std::vector<std::string> severities;
    for (Severity severity : receiver.match.severities) {
      severities.emplace_back(to_string(severity));
    }
    std::vector<std::string> destinations;
    for (const auto& url : receiver.urls) destinations.push_back(without_credentials(url));
    if (!receiver.command.empty()) destinations.push_back(receiver.command.front());
    std::string destination;
    for (const auto& item : destinations) destination += (destination.empty() ? "" : " ") + item;
    table.add_row({receiver.outbox_name(), std::string(to_string(receiver.type)),
                   joined(severities), joined(receiver.match.targets),
                   joined(receiver.match.checks),
                   receiver.match.labels.empty() ? "*" : joined(receiver.match.labels),
                   repeat_of(receiver), destination});
  }
  std::cout << "\n";
  table.print(std::cout);
}

// Every error the monitor would refuse the config for: the config itself,
// then what each target's pack refuses at create().
int check_config(const GlobalOptions& global) {
  try {
    // The monitor's own start (same packs, checks and errors); a pack file
    // that did not load is a warning until a target needs it.
    const engine::Setup setup =
        engine::load_setup(*global.config, global.plugin_dirs,
                           [](const std::string& line) { print_error("warning: " + line); });

    const engine::InstanceCheck instances =
        engine::check_instances(setup, std::make_shared<http::Client>());
    if (!instances.errors.empty()) {
      for (const auto& error : instances.errors) print_error(error.what());
      if (instances.abandoned) {
        // A pack is still inside create() or destroy() on another thread.
        std::cerr.flush();
        std::_Exit(1);
      }
      return 1;
    }

    const config::Config& config = setup.config;
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
    print_error(e.what());
    return 1;
  }
}

}  // namespace

int run(const GlobalOptions& global, const ConfigCheckRequest&) { return check_config(global); }

}  // namespace opr::cli
