// The install layout's rule, as the host applies it to its own prefix: the
// Debian package's /usr keeps its config in /etc, any other prefix under
// itself; packs always under the prefix.
#include "common/install_layout.h"

#include <gtest/gtest.h>

namespace opr::install_layout {
namespace {

TEST(InstallLayoutRule, UsrKeepsItsConfigInEtcAndItsPacksInUsrLib) {
  EXPECT_EQ(config_file("/usr"), "/etc/operator/operator.yaml");
  EXPECT_EQ(packs_dir("/usr"), "/usr/lib/operator/packs");
}

TEST(InstallLayoutRule, AnyOtherPrefixKeepsEverythingUnderItself) {
  EXPECT_EQ(config_file("/usr/local"), "/usr/local/etc/operator/operator.yaml");
  EXPECT_EQ(config_file("/home/ann/operator"), "/home/ann/operator/etc/operator/operator.yaml");
  EXPECT_EQ(packs_dir("/opt/operator"), "/opt/operator/lib/operator/packs");
}

TEST(InstallLayoutRule, TheRunningPrefixIsTheFolderAboveTheExecutablesFolder) {
  const auto prefix = running_prefix();
  ASSERT_TRUE(prefix.has_value());
  // This test runs from build/tests/unit/common/common_tests.
  EXPECT_EQ(prefix->filename(), "unit");
}

}  // namespace
}  // namespace opr::install_layout
