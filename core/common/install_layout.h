// Where an installed operator-host finds what was installed with it: the
// rule of cmake/OperatorInstallLayout.cmake, applied to the prefix its own
// executable lies in (bin/..), so that a tree installed anywhere, or moved,
// finds its own packs and config.
#pragma once

#include <filesystem>
#include <optional>

namespace opr::install_layout {

// The folder above the running executable's bin/ (/usr for the Debian
// package), or nullopt when /proc/self/exe cannot be read.
std::optional<std::filesystem::path> running_prefix();

// The packs installed under `prefix`: prefix/lib/operator/packs.
std::filesystem::path packs_dir(const std::filesystem::path& prefix);

// The config installed under `prefix`: /etc/operator/operator.yaml for
// /usr (Debian's place), else prefix/etc/operator/operator.yaml.
std::filesystem::path config_file(const std::filesystem::path& prefix);

}  // namespace opr::install_layout
