// Loading a pack runs its code, so a pack file that someone else could have
// replaced is refused before it is opened.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace opr::plugins {

// nullopt when `file` and the folder holding it are owned by the current
// user or root and writable by nobody else (no group/other write bit); else
// why not and the command that fixes it, e.g. "the file is writable by group
// or others (mode 0666); run: chmod go-w FILE".
std::optional<std::string> check_pack_file_safety(const std::filesystem::path& file);

}  // namespace opr::plugins
