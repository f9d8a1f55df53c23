// A lease too short for a check's timeout is refused at that check: the
// check could never start, since a run starts only while the lease
// outlives it.
#include <gtest/gtest.h>

#include "config/config.h"
#include "engine/setup.h"

namespace opr::engine {
namespace {

using namespace std::chrono_literals;

config::Config one_check(std::chrono::milliseconds timeout, config::Isolation isolation) {
  config::Config config;
  config::TargetConfig target;
  target.name = "db";
  target.isolation = isolation;
  config::CheckConfig check;
  check.name = "disk";
  check.timeout = timeout;
  check.mark = {"operator.yaml", 12, 9};
  target.checks.push_back(check);
  config.targets.push_back(target);
  return config;
}

TEST(LeaseTimeouts, AChecksTimeoutMustFitInTwoThirdsOfTheLease) {
  config::Config config = one_check(19s, config::Isolation::in_process);
  EXPECT_NO_THROW(check_cluster_timeouts(config));  // 30s lease: 20s usable
  config = one_check(20s, config::Isolation::in_process);
  try {
    check_cluster_timeouts(config);
    FAIL() << "a 20s timeout was accepted with a 30s lease";
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(e.mark().line, 12);
    EXPECT_EQ(e.message(),
              "the timeout of db/disk (20s) must be shorter than two thirds of 'lease' in "
              "'cluster' (30s, the default): a host starts a run only while its lease outlives "
              "it; raise the lease or lower the timeout");
  }
}

TEST(LeaseTimeouts, ARunnersTimeCountsAndADisabledCheckDoesNot) {
  config::Config config = one_check(16s, config::Isolation::process);
  EXPECT_THROW(check_cluster_timeouts(config), config::ConfigError);
  config.targets[0].checks[0].enabled = false;
  EXPECT_NO_THROW(check_cluster_timeouts(config));
  config = one_check(16s, config::Isolation::process);
  config.cluster.lease = 40s;
  config.cluster.mark = {"operator.yaml", 3, 10};
  EXPECT_NO_THROW(check_cluster_timeouts(config));
}

}  // namespace
}  // namespace opr::engine
