// plugin.h is a contract with packs built elsewhere, possibly years ago: it
// may only change on purpose, together with its version.
#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace {

constexpr const char* kPluginHeaderSha256 =
    "a3d22c49e68f5e75a2edf2dfb4f84f55ee4b1b491515a4660b64df63524191c7";

TEST(AbiHeader, PluginHeaderIsUnchanged) {
  const auto result = opr::test::run_command({OPR_TEST_SHA256SUM, OPR_TEST_PLUGIN_H});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string hash = result.out.substr(0, result.out.find(' '));
  EXPECT_EQ(hash, kPluginHeaderSha256)
      << "sdk/include/operator/plugin.h is not what this test pinned, so the ABI changed: bump "
         "OP_ABI_MINOR/MAJOR and update this hash on purpose (MINOR when fields or functions "
         "were only appended, MAJOR for anything else)";
}

}  // namespace
