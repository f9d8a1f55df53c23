// A cycle's recording (POST /-/record): which checks it waits for, what it
// lets go (a check another host runs, a check a reload removed) and when
// its sink hears that it is finished.
#include "engine/cycle_recording.h"

#include <gtest/gtest.h>

#include <set>

#include "target_configs.h"

using namespace std::chrono_literals;

namespace opr::engine {
namespace {

using testing::check;
using testing::setup_of;
using testing::target;

Targets targets_of(std::vector<config::TargetConfig> configs) {
  Targets none;
  return build_targets(setup_of(std::move(configs)), none, SteadyTime{} + 1000h, true);
}

// This host holds the leases of `mine` only.
class OwnsSome : public Ownership {
 public:
  explicit OwnsSome(std::set<std::string> mine) : mine_(std::move(mine)) {}
  bool owns(const std::string& target) const override { return mine_.count(target) > 0; }
  bool begin_run(const std::string& target, std::chrono::milliseconds) override {
    return owns(target);
  }
  void end_run(const std::string&) override {}
  bool runs_chores() const override { return false; }
  const std::string& host_name() const override { return name_; }

 private:
  std::set<std::string> mine_;
  std::string name_ = "host-a";
};

// What the sink heard.
struct Heard {
  std::vector<std::string> recorded;  // "target/check"
  std::optional<std::vector<std::string>> finished;

  RecordSink sink() {
    return {
        [this](const RecordedCheck& c) { recorded.push_back(c.target.name + "/" + c.check.name); },
        [this](const std::vector<std::string>& never_ran) { finished = never_ran; }};
  }
};

void tell(CycleRecording& recording, const TargetState& target, const CheckState& check) {
  const PackDeclaration pack;
  const plugins::RunResult result;
  recording.told({target.config, check.config, pack, result, {}, std::nullopt});
}

TEST(CycleRecording, WaitsForTheEnabledChecksOfTheTargetsThisHostOwns) {
  const Targets targets = targets_of(
      {target("a", {check("up"), check("off", 10s, false)}), target("b", {check("disk")})});
  const OwnsSome ownership({"a"});
  Heard heard;
  CycleRecording recording;
  recording.arm(heard.sink(), targets, &ownership);
  EXPECT_TRUE(recording.armed());
  EXPECT_TRUE(recording.wants("a/up"));
  EXPECT_FALSE(recording.wants("a/off")) << "disabled";
  EXPECT_FALSE(recording.wants("b/disk")) << "another host's target";

  CycleRecording everything;
  everything.arm(heard.sink(), targets, nullptr);
  EXPECT_TRUE(everything.wants("b/disk")) << "without ownership every target is this host's";
}

TEST(CycleRecording, FinishesOnceEveryRecordedRunWasToldAndACheckAnotherHostTookIsNotAwaited) {
  const Targets targets = targets_of({target("a", {check("up"), check("disk")})});
  Heard heard;
  CycleRecording recording;
  recording.arm(heard.sink(), targets, nullptr);

  EXPECT_TRUE(recording.skip("a/up")) << "another host runs it now";
  EXPECT_FALSE(recording.skip("a/up"));
  EXPECT_FALSE(recording.end_if_done()) << "a/disk has not run yet";

  EXPECT_TRUE(recording.take("a/disk"));
  EXPECT_FALSE(recording.take("a/disk")) << "only its next run is recorded";
  EXPECT_FALSE(recording.wants("a/disk"));
  EXPECT_FALSE(recording.end_if_done()) << "its run is out";

  tell(recording, *targets[0], targets[0]->checks[1]);
  EXPECT_EQ(heard.recorded, std::vector<std::string>{"a/disk"});
  EXPECT_FALSE(heard.finished.has_value());
  EXPECT_TRUE(recording.end_if_done());
  ASSERT_TRUE(heard.finished.has_value());
  EXPECT_EQ(*heard.finished, std::vector<std::string>{"a/up"})
      << "the check another host took, given up before the recording ended, is named";
  EXPECT_FALSE(recording.armed());
  EXPECT_FALSE(recording.end_if_done()) << "finished once";
}

TEST(CycleRecording, FinishesAtOnceWhenNothingIsArmed) {
  const Targets targets = targets_of({target("a", {check("off", 10s, false)})});
  Heard heard;
  CycleRecording recording;
  recording.arm(heard.sink(), targets, nullptr);
  EXPECT_TRUE(recording.end_if_done());
  ASSERT_TRUE(heard.finished.has_value());
  EXPECT_TRUE(heard.finished->empty());
}

TEST(CycleRecording, AReloadDropsTheChecksItRemovedAndAShutdownTheRest) {
  const Targets before =
      targets_of({target("a", {check("up"), check("disk")}), target("b", {check("raft")})});
  Heard heard;
  CycleRecording recording;
  recording.arm(heard.sink(), before, nullptr);

  const Targets after = targets_of({target("a", {check("up"), check("disk", 10s, false)})});
  EXPECT_EQ(recording.drop_missing(after), (std::vector<std::string>{"a/disk", "b/raft"}));
  EXPECT_TRUE(recording.wants("a/up"));

  EXPECT_FALSE(recording.end_if_done()) << "a/up has not run yet";
  EXPECT_TRUE(recording.take("a/up"));
  EXPECT_EQ(recording.abandon(), std::vector<std::string>{}) << "a/up ran";
  EXPECT_TRUE(recording.end_if_done()) << "a run still out is abandoned at shutdown";
  ASSERT_TRUE(heard.finished.has_value());
  EXPECT_EQ(*heard.finished, (std::vector<std::string>{"a/disk", "b/raft"}))
      << "the checks the reload dropped, before the recording ended";
}

TEST(CycleRecording, ARunTheConfigNoLongerHasIsNotHandedOver) {
  const Targets targets = targets_of({target("a", {check("up")})});
  Heard heard;
  CycleRecording recording;
  recording.arm(heard.sink(), targets, nullptr);
  EXPECT_TRUE(recording.take("a/up"));
  recording.lost("a/up");
  EXPECT_TRUE(heard.recorded.empty());
  EXPECT_TRUE(recording.end_if_done());
}

}  // namespace
}  // namespace opr::engine
