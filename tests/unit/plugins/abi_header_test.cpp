// plugin.h is a contract with packs built elsewhere, possibly years ago: it
// may only change on purpose, together with its version.
#include <gtest/gtest.h>
#include <operator/plugin.h>

#include <cstddef>
#include <string>

#include "test_support.h"

namespace {

// Last changed in 1.3 without a binary change: OP_PACK_ENTRY() and the
// rules the host enforces, written down (see the header's history).
constexpr const char* kPluginHeaderSha256 =
    "ed2ba8575370dd573911f39ec54eed5e14205bda882016b153246e2214002028";

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
TEST(AbiHeader, HostApiMembersAddedIn11To13AreAppended) {
  EXPECT_EQ(offsetof(op_host_api, http_stream),
            offsetof(op_host_api, run_cancelled) + sizeof(op_host_run_cancelled_fn));
  EXPECT_EQ(offsetof(op_host_api, run_unknown),
            offsetof(op_host_api, http_stream) + sizeof(op_host_http_stream_fn));
  EXPECT_EQ(offsetof(op_host_api, param_invalid),
            offsetof(op_host_api, run_unknown) + sizeof(op_host_run_unknown_fn));
  EXPECT_EQ(offsetof(op_host_api, run_fail_cause),
            offsetof(op_host_api, param_invalid) + sizeof(op_host_param_invalid_fn));
  EXPECT_EQ(sizeof(op_host_api),
            offsetof(op_host_api, run_fail_cause) + sizeof(op_host_run_fail_cause_fn));
  EXPECT_EQ(OP_ABI_MAJOR, 1);
  EXPECT_EQ(OP_ABI_MINOR, 3);
}

// A 1.0 or 1.1 pack's op_param_def ends where 1.2's bounds begin.
TEST(AbiHeader, ParamDefFieldsAddedIn12AreAppended) {
  EXPECT_EQ(offsetof(op_param_def, min_value), offsetof(op_param_def, doc) + sizeof(const char*));
  EXPECT_LT(offsetof(op_param_def, min_value), offsetof(op_param_def, max_value));
  EXPECT_LT(offsetof(op_param_def, max_value), offsetof(op_param_def, bounds));
}

}  // namespace
