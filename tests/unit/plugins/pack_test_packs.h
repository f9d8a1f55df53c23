// Where the packs the plugin tests load are, and how to put copies of them
// in a folder of a test's own.
#pragma once

#include <filesystem>
#include <string>

#include "test_support.h"

namespace opr::test {

inline std::filesystem::path example_pack() { return packs_dir() / "example.so"; }
inline std::filesystem::path fixture_pack(const std::string& name) {
  return test_packs_dir() / (name + ".so");
}

// Copies `pack` into `dir` as `name` (default: its own name), mode 0755.
inline std::filesystem::path copy_pack(const std::filesystem::path& pack,
                                       const std::filesystem::path& dir,
                                       const std::string& name = "") {
  const auto target = dir / (name.empty() ? pack.filename().string() : name);
  std::filesystem::copy_file(pack, target, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::permissions(target, std::filesystem::perms(0755));
  return target;
}

}  // namespace opr::test
