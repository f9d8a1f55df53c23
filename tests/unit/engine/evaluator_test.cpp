#include "engine/evaluator.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/config.h"

namespace opr::engine {
namespace {

TEST(Evaluator, SnapshotKeepsNumbersAsNumbers) {
  const auto json = nlohmann::json::parse(
      snapshot_json({{"p99_ms", "150.2", true}, {"store", "2", false}, {"count", "7", true}}));
  EXPECT_TRUE(json["p99_ms"].is_number());
  EXPECT_DOUBLE_EQ(json["p99_ms"].get<double>(), 150.2);
  EXPECT_EQ(json["store"], "2");
  EXPECT_EQ(json["count"], 7);
}

TEST(Evaluator, SnapshotKeepsBadNumbersAsText) {
  const auto json = nlohmann::json::parse(snapshot_json({{"p99", "NaN", true}}));
  EXPECT_EQ(json["p99"], "NaN");
}

TEST(Evaluator, EmptySnapshotIsAnEmptyObject) { EXPECT_EQ(snapshot_json({}), "{}"); }

TEST(Evaluator, ReportedSeverityWinsOverTheConfiguredOne) {
  EXPECT_EQ(effective_severity(3, Severity::warning), Severity::critical);
  EXPECT_EQ(effective_severity(0, Severity::info), Severity::info);
  EXPECT_EQ(effective_severity(42, Severity::warning), Severity::warning);
}

TEST(Evaluator, BatchKeyNamesTargetAndCycleStart) {
  const auto start = parse_utc("2026-11-23T12:55:18.042Z");
  ASSERT_TRUE(start);
  EXPECT_EQ(batch_key("prod-tikv", *start), "prod-tikv@2026-11-23T12:55:18.042Z");
}

TEST(Evaluator, SuccessfulRunCarriesGraceSeverityAndSnapshot) {
  config::CheckConfig check;
  check.name = "latency";
  check.grace = std::chrono::milliseconds(60'000);
  check.severity = Severity::warning;
  plugins::RunResult result;
  result.ok = true;
  result.violations.push_back({"store-1", "p99 is 150 ms", 0, {{"p99_ms", "150", true}}});
  result.violations.push_back({"", "cluster is slow", 3, {}});
  const auto at = now_ms();
  const auto run = successful_run("prod", check, result, at, "prod@x");
  EXPECT_EQ(run.target, "prod");
  EXPECT_EQ(run.check, "latency");
  EXPECT_EQ(run.at, at);
  EXPECT_EQ(run.batch_key, "prod@x");
  ASSERT_EQ(run.violations.size(), 2u);
  EXPECT_EQ(run.violations[0].subject, "store-1");
  EXPECT_EQ(run.violations[0].severity, Severity::warning);
  EXPECT_EQ(run.violations[0].grace, std::chrono::milliseconds(60'000));
  EXPECT_EQ(run.violations[0].metric_snapshot, R"({"p99_ms":150})");
  EXPECT_EQ(run.violations[1].severity, Severity::critical);
  EXPECT_EQ(run.violations[1].metric_snapshot, "{}");
}

}  // namespace
}  // namespace opr::engine
