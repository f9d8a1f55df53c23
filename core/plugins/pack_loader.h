// Finding and loading invariant packs: shared libraries behind plugin.h.
#pragma once

#include <operator/plugin.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "common/pack_declaration.h"

namespace opr::plugins {

// A pack file that was tried: loaded, or the reason it was not.
struct LoadedPack {
  std::filesystem::path file;
  // Valid while `library` is held; null when the pack failed to load, or
  // was loaded by a runner process only (isolation/probe.h). Only its
  // functions are called through it: what the pack declares is read from
  // `declaration`.
  const op_pack_descriptor* descriptor = nullptr;
  // The descriptor as read by its declared struct sizes; null when the pack
  // failed to load.
  std::shared_ptr<const PackDeclaration> declaration;
  // "FILE: cause; fix" when the pack failed to load; empty when loaded.
  std::string error;
  // Keeps the library mapped. Packs are never unloaded while any of their
  // instances exist; holders of a descriptor hold this too.
  std::shared_ptr<void> library;

  bool ok() const { return declaration != nullptr && error.empty(); }
  // Loaded into this process: its functions can be called here.
  bool in_process() const { return ok() && descriptor != nullptr; }
  const std::string& name() const { return declaration->name; }
};

// Loads one file. Never throws: failures come back in LoadedPack::error.
LoadedPack load_pack(const std::filesystem::path& file);

// How one pack file is loaded: load_pack, or through a runner process.
using PackFileLoader = std::function<LoadedPack(const std::filesystem::path& file)>;

// Loads every *.so in each folder, in name order, with `loader` (default:
// load_pack). A pack whose name another pack already took fails with an
// error naming both files. Folders that do not exist are reported as a
// failed entry with file = the folder.
std::vector<LoadedPack> load_packs(const std::vector<std::filesystem::path>& dirs,
                                   const PackFileLoader& loader = load_pack);

// The *.so files of `dir`, in name order (what load_packs loads from it);
// `ec` is set when the folder cannot be read.
std::vector<std::filesystem::path> pack_files(const std::filesystem::path& dir,
                                              std::error_code& ec);

// The entry for a pack file that failed: error "FILE: cause".
LoadedPack failed_pack(const std::filesystem::path& file, const std::string& cause);

// The folders used when neither the config nor --plugin-dir names any:
// $OPERATOR_PLUGIN_PATH (colon-separated) if set, else the install location.
std::vector<std::filesystem::path> default_plugin_dirs();

}  // namespace opr::plugins
