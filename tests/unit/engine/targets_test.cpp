// The engine's targets: what a start and a reload schedule, and what a
// reload keeps (a check's next run, a target's instance and queue, the
// cause a check last failed for).
#include "engine/targets.h"

#include <gtest/gtest.h>

#include "target_configs.h"

using namespace std::chrono_literals;

namespace opr::engine {
namespace {

using testing::check;
using testing::setup_of;
using testing::target;

const SteadyTime kStart = SteadyTime{} + 1000h;

TEST(EngineTargets, ChecksStartSpreadOverTheirIntervalAndDisabledOnesNever) {
  Targets none;
  const auto targets =
      build_targets(setup_of({target("a", {check("up", 4s), check("off", 4s, false)}),
                              target("b", {check("disk", 4s)})}),
                    none, kStart, false);
  ASSERT_EQ(targets.size(), 2u);
  // Two enabled checks: the first starts at once, the second half an interval later.
  EXPECT_EQ(targets[0]->checks[0].next_due, kStart);
  EXPECT_EQ(targets[0]->checks[1].next_due, kNever);
  EXPECT_EQ(targets[1]->checks[0].next_due, kStart + 2s);
  EXPECT_EQ(enabled_checks(targets), 2u);
  EXPECT_EQ(enabled_intervals(targets), (std::vector<std::chrono::milliseconds>{4s, 4s}));
  // Config order, for the --once reports.
  EXPECT_EQ(targets[0]->checks[1].order, 1u);
  EXPECT_EQ(targets[1]->checks[0].order, 2u);
}

TEST(EngineTargets, InOnceModeEveryEnabledCheckIsDueAtOnce) {
  Targets none;
  const auto targets =
      build_targets(setup_of({target("a", {check("up"), check("disk"), check("off", 10s, false)})}),
                    none, kStart, true);
  EXPECT_EQ(targets[0]->checks[0].next_due, kStart);
  EXPECT_EQ(targets[0]->checks[1].next_due, kStart);
  EXPECT_EQ(targets[0]->checks[2].next_due, kNever);
}

TEST(EngineTargets, AReloadKeepsTheScheduleOfUnchangedChecksAndTheTargetItself) {
  Targets none;
  auto before =
      build_targets(setup_of({target("a", {check("up"), check("disk")})}), none, kStart, false);
  TargetState* kept = before[0].get();
  kept->checks[0].next_due = kStart + 7s;
  kept->checks[1].next_due = kStart + 8s;
  kept->queue = {"disk", "up"};

  auto after = build_targets(setup_of({target("a", {check("up"), check("disk", 20s)})}), before,
                             kStart + 1s, false);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].get(), kept) << "same pack and parameters: the instance is kept";
  EXPECT_EQ(before[0], nullptr) << "taken over, so not dropped";
  EXPECT_EQ(after[0]->checks[0].next_due, kStart + 7s) << "unchanged: keeps its next run";
  EXPECT_NE(after[0]->checks[1].next_due, kStart + 8s) << "new interval: scheduled again";
  EXPECT_EQ(after[0]->queue, (std::deque<std::string>{"disk", "up"}));
  EXPECT_TRUE(after[0]->checks[0].queued);
}

TEST(EngineTargets, AReloadThatChangesATargetsParametersMakesItAgainAndDropsTheOld) {
  Targets none;
  auto before = build_targets(setup_of({target("a", {check("up")})}), none, kStart, false);
  auto changed = target("a", {check("up")});
  changed.params["pd"] = std::string("http://pd:2379");
  auto after = build_targets(setup_of({changed}), before, kStart, false);
  ASSERT_NE(before[0], nullptr) << "left for the engine to destroy";
  EXPECT_NE(after[0].get(), before[0].get());
}

TEST(EngineTargets, QueuedChecksThatAReloadRemovesOrDisablesLeaveTheQueue) {
  Targets none;
  auto before = build_targets(setup_of({target("a", {check("up"), check("disk"), check("lat")})}),
                              none, kStart, false);
  before[0]->queue = {"up", "disk", "lat"};
  auto after = build_targets(setup_of({target("a", {check("up", 10s, false), check("lat")})}),
                             before, kStart, false);
  EXPECT_EQ(after[0]->queue, (std::deque<std::string>{"lat"}));
  EXPECT_FALSE(after[0]->find("up")->queued);
  EXPECT_EQ(after[0]->find("disk"), nullptr);
}

TEST(EngineTargets, ARunEndedAtItsTimeoutCountsForTheCauseItsCheckLastFailedFor) {
  CheckState check;
  EXPECT_EQ(check.failed_for("", true), "") << "no cause yet: the check's own";
  EXPECT_EQ(check.failed_for("pd:http://pd:2379", false), "pd:http://pd:2379");
  EXPECT_EQ(check.failed_for("", true), "pd:http://pd:2379") << "a timeout says nothing";
  EXPECT_EQ(check.failed_for("", false), "") << "a failure that names no cause is the check's";
  check.failed_for("prometheus:http://prom:9090", false);
  check.succeeded();
  EXPECT_EQ(check.failed_for("", true), "") << "a success ends the streak";
}

TEST(EngineTargets, AReloadKeepsTheCauseACheckLastFailedFor) {
  Targets none;
  auto before = build_targets(setup_of({target("a", {check("up")})}), none, kStart, false);
  before[0]->checks[0].failed_for("pd:http://pd:2379", false);
  auto after = build_targets(setup_of({target("a", {check("up", 20s)})}), before, kStart, false);
  EXPECT_EQ(after[0]->checks[0].failed_for("", true), "pd:http://pd:2379");
}

TEST(EngineTargets, ARunnerThatKeepsDyingWaitsTwiceAsLongEachTimeUpToTheLongestPause) {
  TargetState target;
  EXPECT_EQ(target.pause_runner("runner crashed", kStart), kFirstRestartDelay);
  EXPECT_EQ(target.restart_at, kStart + kFirstRestartDelay);
  EXPECT_EQ(target.runner_death, "runner crashed");
  EXPECT_EQ(target.pause_runner("runner crashed", kStart), 2 * kFirstRestartDelay);
  for (int i = 0; i < 10; ++i) target.pause_runner("runner crashed", kStart);
  EXPECT_EQ(target.pause_runner("runner crashed", kStart), kMaxRestartDelay);
  target.runner_ok();
  EXPECT_EQ(target.pause_runner("runner crashed", kStart), kFirstRestartDelay);
}

TEST(EngineTargets, FindsTargetsByName) {
  Targets none;
  const auto targets =
      build_targets(setup_of({target("a", {check("up")}), target("b", {})}), none, kStart, false);
  EXPECT_EQ(find_target(targets, "b"), targets[1].get());
  EXPECT_EQ(find_target(targets, "c"), nullptr);
}

}  // namespace
}  // namespace opr::engine
