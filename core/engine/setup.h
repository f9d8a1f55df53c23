// Everything the engine runs from: the resolved config and the packs it was
// resolved against. Built at start and again on every reload.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "plugins/pack_loader.h"
#include "tickets/ticket_store.h"

namespace opr::engine {

// Packs that loaded, by name. Instances hold theirs, so a reload that drops
// a pack never unmaps code that still runs.
using PackMap = std::map<std::string, std::shared_ptr<const plugins::LoadedPack>, std::less<>>;

// The packs a config runs with, and the files that failed to load.
struct PackSet {
  PackMap packs;
  std::vector<std::string> errors;  // "FILE: cause; fix" per pack file that did not load

  // What the loaded packs declare, for config::resolve_config; valid while
  // this PackSet lives.
  config::PackCatalog catalog() const;
};

// Reads what the packs in `plugin_dirs` (when not empty, else the config's
// plugin_dirs, else plugins::default_plugin_dirs()) declare, each in a
// runner process of its own (isolation/probe.h): a pack that crashes while
// loading is a pack that failed to load, and the host goes on.
PackSet load_pack_set(const config::RawConfig& raw,
                      const std::vector<std::filesystem::path>& plugin_dirs);

struct Setup {
  std::shared_ptr<const config::RawConfig> raw;
  config::Config config;
  // Loaded into this process (plugins::LoadedPack::in_process) when a
  // target with `isolation: in_process` uses it; else known by what it
  // declares, for the runners to load.
  PackMap packs;
  // Pack files that failed to load (each logged by load_setup).
  size_t pack_load_failures = 0;
};

// Resolves `raw` against `packs` and loads into this process the packs of
// targets with `isolation: in_process`. Throws config::ConfigError, at the
// target, when such a pack does not load here.
Setup resolve_setup(std::shared_ptr<const config::RawConfig> raw, PackSet packs);

// What the ticket store takes from the config (flapping, the notify
// receivers and labels), at open and at every reload.
tickets::StoreOptions store_options(const config::Config& config);

// How a pack file that did not load is reported: "pack not loaded: FILE:
// cause; fix". The monitor logs it; `config check` prints it as a warning.
using PackErrorSink = std::function<void(const std::string& line)>;

// Reads `file`, loads its packs (see load_pack_set), reports the ones that
// failed to load (to `on_pack_error`, else the log) and resolves the config
// against the rest. The monitor and `config check` both start here.
// Throws config::ConfigError ("FILE:LINE:COLUMN: message").
Setup load_setup(const std::filesystem::path& file,
                 const std::vector<std::filesystem::path>& plugin_dirs = {},
                 const PackErrorSink& on_pack_error = {});

// Several hosts (PostgreSQL): a host renews its leases every lease/3 and
// starts a run only when its lease outlives the run's timeout (and what
// the engine waits past it for a runner), so each enabled check's must be
// shorter than two thirds of `cluster.lease`, or that check would never
// run. Throws config::ConfigError at the first check that is not.
void check_cluster_timeouts(const config::Config& config);

// How the engine gets a new Setup on reload (e.g. a bound load_setup).
using SetupLoader = std::function<Setup()>;

}  // namespace opr::engine
