// A pack exports exactly its entry symbol: anything else (libstdc++ template
// instances, say) could bind to another pack's copy and break both.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace {

std::vector<std::string> defined_dynamic_symbols(const std::filesystem::path& file) {
  const auto result = opr::test::run_command({OPR_TEST_NM, "-D", "--defined-only", file.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> symbols;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) symbols.push_back(line.substr(line.rfind(' ') + 1));
  }
  return symbols;
}

TEST(PackExports, EveryBuiltPackExportsOnlyTheEntrySymbol) {
  int packs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(opr::test::packs_dir())) {
    if (entry.path().extension() != ".so") continue;
    ++packs;
    const auto symbols = defined_dynamic_symbols(entry.path());
    EXPECT_EQ(symbols, std::vector<std::string>{"op_pack_entry"}) << entry.path();
  }
  EXPECT_GE(packs, 1) << "no packs in " << opr::test::packs_dir();
}

}  // namespace
