// Loading a built pack and finding what its runs said, for the tests that
// drive packs through PackInstance.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "plugins/pack_instance.h"
#include "plugins/pack_loader.h"

namespace opr::plugins {

inline std::shared_ptr<const LoadedPack> load(const std::filesystem::path& file) {
  auto pack = std::make_shared<const LoadedPack>(load_pack(file));
  EXPECT_TRUE(pack->ok()) << pack->error;
  return pack;
}

inline uint32_t check_index(const LoadedPack& pack, const std::string& name) {
  const auto& checks = pack.declaration->checks;
  for (uint32_t i = 0; i < checks.size(); ++i) {
    if (name == checks[i].name) return i;
  }
  throw std::logic_error("no check " + name);
}

inline const Fact* find_fact(const std::vector<Fact>& facts, const std::string& key) {
  for (const auto& fact : facts) {
    if (fact.key == key) return &fact;
  }
  return nullptr;
}

}  // namespace opr::plugins
