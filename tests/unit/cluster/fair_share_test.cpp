#include "cluster/fair_share.h"

#include <gtest/gtest.h>

namespace opr::cluster {
namespace {

TEST(FairShare, EveryTargetHasRoomAndNoHostRunsMoreThanOneExtra) {
  EXPECT_EQ(fair_share(30, 3), 10u);
  EXPECT_EQ(fair_share(31, 3), 11u);
  EXPECT_EQ(fair_share(30, 1), 30u);
  EXPECT_EQ(fair_share(2, 5), 1u);
  EXPECT_EQ(fair_share(0, 2), 0u);
  EXPECT_EQ(fair_share(7, 0), 7u);  // this host at least
}

TEST(FairShare, AHostReleasesOnlyWhatIsNotRunning) {
  const std::set<std::string> owned = {"a", "b", "c", "d"};
  const auto release = targets_to_release(owned, 2, [](const std::string& t) { return t == "d"; });
  EXPECT_EQ(release, (std::vector<std::string>{"c", "b"}));
  EXPECT_TRUE(targets_to_release(owned, 4, [](const std::string&) { return false; }).empty());
  EXPECT_TRUE(targets_to_release(owned, 1, [](const std::string&) { return true; }).empty());
}

TEST(FairShare, ClaimsOnlyFreeTargetsInAnOrderOfTheHostsOwn) {
  const std::vector<std::string> configured = {"a", "b", "c", "d", "e", "f", "g", "h"};
  const auto order = claim_order(configured, {"a"}, {"b", "c"}, "host-1");
  EXPECT_EQ(std::set<std::string>(order.begin(), order.end()),
            (std::set<std::string>{"d", "e", "f", "g", "h"}));
  const auto other = claim_order(configured, {"a"}, {"b", "c"}, "host-2");
  EXPECT_NE(order, other);  // two hosts claiming at once mostly want different ones
}

}  // namespace
}  // namespace opr::cluster
