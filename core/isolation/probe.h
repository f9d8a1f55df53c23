// Loading packs through runner processes: what `plugins list`, `config
// check` and the monitor learn about pack files without loading any of
// them into the host. A pack that crashes, exits or hangs while loading
// (in op_pack_entry, or a static constructor) is reported as a pack that
// failed to load ("FILE: crashed with SIGSEGV while loading"), and the
// others are read as usual.
#pragma once

#include <chrono>
#include <filesystem>
#include <vector>

#include "isolation/runner.h"
#include "plugins/pack_loader.h"

namespace opr::isolation {

// How long a pack may take to load in a probe before its runner is killed.
inline constexpr std::chrono::milliseconds kProbeTimeout{10'000};

// Loads `file` in a runner of its own and returns what it declares: a
// LoadedPack with a declaration and no descriptor (it is not loaded in this
// process), or the reason it did not load. Never throws.
plugins::LoadedPack probe_pack(const std::filesystem::path& file, const RunnerOptions& options,
                               std::chrono::milliseconds timeout = kProbeTimeout);

// plugins::load_packs through probe_pack: every *.so of each folder, in
// name order, each in a runner of its own.
std::vector<plugins::LoadedPack> probe_packs(const std::vector<std::filesystem::path>& dirs,
                                             const RunnerOptions& options);

}  // namespace opr::isolation
