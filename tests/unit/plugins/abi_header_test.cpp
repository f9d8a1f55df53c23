// plugin.h is a contract with packs built elsewhere, possibly years ago: it
// may only change on purpose, together with its version.
#include <gtest/gtest.h>
#include <operator/plugin.h>

#include <cstddef>
#include <string>

#include "test_support.h"

namespace {

constexpr const char* kPluginHeaderSha256 =
    "1c4eb1c77d1be1aedcf95369daf0283e1b22a4fade219a4e44e660e22e86b6fe";

TEST(AbiHeader, PluginHeaderIsUnchanged) {
  const auto result = opr::test::run_command({OPR_TEST_SHA256SUM, OPR_TEST_PLUGIN_H});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string hash = result.out.substr(0, result.out.find(' '));
  EXPECT_EQ(hash, kPluginHeaderSha256)
      << "sdk/include/operator/plugin.h is not what this test pinned, so the ABI changed: bump "
         "OP_ABI_MINOR/MAJOR and update this hash on purpose (MINOR when fields or functions "
         "were only appended, MAJOR for anything else)";
}

// A pack built against 1.0 reads the table through 1.0's layout: members
// added later may only come after the last one of 1.0.
TEST(AbiHeader, HostApiMembersAddedIn11AreAppended) {
  EXPECT_EQ(offsetof(op_host_api, http_stream),
            offsetof(op_host_api, run_cancelled) + sizeof(op_host_run_cancelled_fn));
  EXPECT_EQ(sizeof(op_host_api),
            offsetof(op_host_api, http_stream) + sizeof(op_host_http_stream_fn));
  EXPECT_EQ(OP_ABI_MAJOR, 1);
  EXPECT_EQ(OP_ABI_MINOR, 1);
}

}  // namespace
