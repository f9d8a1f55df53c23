// The PD-side metric checks: their table, the one query each builds, and
// the evaluation of Prometheus' answers (fixtures in its real format)
// against PD's members (pd_members.json).
#include <gtest/gtest.h>

#include <simdjson.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "fixture.h"
#include "pd_members.h"
#include "pd_metric_evaluation.h"
#include "pd_metric_rows.h"
#include "store_metric_rows.h"

namespace opr::tikv {
namespace {

using std::chrono::milliseconds;
using test::fixture;
using test::parse_vector;

const PdMetricRow& row(std::string_view name) {
  for (const PdMetricRow& r : pd_metric_rows()) {
    if (r.name == name) return r;
  }
  throw std::out_of_range(std::string(name));
}

// pd-10.0.1.1-2379, pd-10.0.1.2-2379 (the leader), pd-10.0.1.3-2379.
std::vector<PdMember> members() {
  simdjson::ondemand::parser parser;
  return parse_pd_members(parser, fixture("pd/pd_members.json")).members;
}

std::vector<double> defaults(const PdMetricRow& r) {
  std::vector<double> out;
  for (const PdCondition& c : r.conditions)
    out.push_back(std::stod(std::string(c.threshold_default)));
  return out;
}

std::vector<milliseconds> default_windows(const PdMetricRow& r) {
  std::vector<milliseconds> out;
  for (const PdWindow& w : r.windows) {
    const std::string text(w.default_text);
    const long n = std::stol(text);
    out.push_back(text.back() == 'm' ? milliseconds(n * 60'000) : milliseconds(n * 1000));
  }
  return out;
}

PdMetricEvaluation evaluate(const PdMetricRow& r, const std::vector<Sample>& samples,
                            std::vector<double> thresholds = {}) {
  if (thresholds.empty()) thresholds = defaults(r);
  return evaluate_pd_metric(r, samples, thresholds, default_windows(r), members());
}

Sample sample(std::string condition, std::string instance, double value) {
  Sample s;
  s.instance = std::move(instance);
  s.condition = std::move(condition);
  s.value = value;
  return s;
}

using test::facts_of;
using test::subjects;

std::vector<std::string> subjects(const std::vector<PdUnknown>& unknown) {
  std::vector<std::string> out;
  for (const PdUnknown& u : unknown) out.push_back(u.subject);
  return out;
}

TEST(PdMetricRows, NamesAndParametersAreUniqueAndNoStoreCheckIsShadowed) {
  std::set<std::string_view> names;
  for (const StoreMetricRow& r : store_metric_rows()) names.insert(r.name);
  for (const char* other : {"store_up", "latency", "disk_space", "pd_health", "store_slow"})
    names.insert(other);
  for (const PdMetricRow& r : pd_metric_rows()) {
    EXPECT_TRUE(names.insert(r.name).second) << r.name;
    std::set<std::string_view> params, keys;
    for (const PdCondition& c : r.conditions) {
      EXPECT_TRUE(params.insert(c.threshold_param).second) << r.name << " " << c.threshold_param;
      EXPECT_TRUE(keys.insert(c.key).second) << r.name << " " << c.key;
      EXPECT_FALSE(c.threshold_default.empty()) << c.key;
      EXPECT_FALSE(c.metric.empty()) << c.key;
      // The check's severity is its most severe condition's.
      EXPECT_LE(static_cast<int>(c.level), static_cast<int>(r.level)) << c.key;
      if (c.scope != PdScope::kCluster) {
        EXPECT_NE(c.expression.find("instance"), std::string_view::npos) << c.key;
      }
    }
    for (const PdWindow& w : r.windows) EXPECT_TRUE(params.insert(w.param).second) << w.param;
    EXPECT_EQ(r.grace, std::chrono::seconds(60)) << r.name << ": upstream's for: 1m";
  }
  EXPECT_EQ(pd_metric_rows().size(), kPdMetricRowCount);
  EXPECT_FALSE(reads_members(row("region_health")));
  EXPECT_FALSE(reads_members(row("cluster_space")));
  EXPECT_TRUE(reads_members(row("pd_etcd")));
  EXPECT_TRUE(reads_members(row("tso_latency")));
  EXPECT_TRUE(reads_members(row("pd_node_restart")));
}

TEST(PdMetricRows, OneQueryPerCheckWithEachConditionTagged) {
  const milliseconds minute(60'000);
  EXPECT_EQ(pd_metric_query(row("tso_latency"), std::vector{milliseconds(30'000)}),
            "label_replace(histogram_quantile(0.99, sum by (le, instance) "
            "(rate(pd_server_handle_tso_duration_seconds_bucket[30s]))), \"condition\", "
            "\"tso-handle\", \"\", \"\")");
  EXPECT_EQ(pd_metric_query(row("cluster_space"), {}),
            "label_replace((sum by (instance) (pd_cluster_status{type=\"storage_size\"}) / sum by "
            "(instance) (pd_cluster_status{type=\"storage_capacity\"}) * 100) and on (instance) "
            "(etcd_server_is_leader > 0), \"condition\", \"space-used\", \"\", \"\") or "
            "label_replace((sum by (instance) (pd_cluster_status{type=\"store_low_space_count\"})) "
            "and on (instance) (etcd_server_is_leader > 0), \"condition\", \"low-space\", \"\", "
            "\"\")");
  const std::string region = pd_metric_query(row("region_health"), std::vector{minute});
  // The hyphenated type PD exports, not upstream's miss_peer_region_count.
  EXPECT_NE(region.find("type=\"miss-peer-region-count\""), std::string::npos);
  EXPECT_NE(region.find(
                "label_replace(((sum by (instance) (increase(pd_checker_event_count"
                "{type=\"replica_checker\",name=~\"no_target_store|no-target-store\"}[1m]))) or on "
                "(instance) 0 * sum by (instance) (etcd_server_is_leader)) and on "
                "(instance) (etcd_server_is_leader > 0), \"condition\", "
                "\"no-target-store\", \"\", \"\")"),
            std::string::npos)
      << region;
  const std::string etcd =
      pd_metric_query(row("pd_etcd"), std::vector{minute, milliseconds(600'000)});
  EXPECT_NE(etcd.find("label_replace(sum(sum by (instance) (changes(pd_tso_events{type=\"save\"}"
                      "[10m])) > bool 0), \"condition\", \"leader-change\", \"\", \"\")"),
            std::string::npos)
      << etcd;
  // PD exports every TSO event type from the start: no zero for a missing one.
  EXPECT_NE(etcd.find("label_replace(max by (instance) (changes(pd_tso_events"
                      "{type=\"system_time_slow\"}[10m])), \"condition\", \"time-slow\""),
            std::string::npos)
      << etcd;
  // No job name: the restart query keeps PD's instances by a metric only PD exports.
  const std::string restart =
      pd_metric_query(row("pd_node_restart"), std::vector{milliseconds(300'000)});
  EXPECT_EQ(restart.find("job"), std::string::npos);
  EXPECT_NE(restart.find("changes(process_start_time_seconds[5m])) and on (instance) "
                         "etcd_server_is_leader"),
            std::string::npos);
  EXPECT_THROW(pd_metric_query(row("pd_etcd"), std::vector{minute}), std::invalid_argument);
  EXPECT_THROW(pd_metric_query(row("tso_latency"), std::vector{milliseconds(0)}),
               std::invalid_argument);
}

TEST(PdMembersInstances, ClientUrlsGiveHostAndPort) {
  PdMember m;
  m.client_urls = {"http://10.0.1.1:2379", "https://user:pw@pd-0.pd:2379/", "http://[::1]:2379?x",
                   "http://"};
  EXPECT_EQ(member_instances(m),
            (std::vector<std::string>{"10.0.1.1:2379", "pd-0.pd:2379", "[::1]:2379"}));
}

TEST(PdEtcd, FixtureAnswerGivesEachConditionItsSubjectSeverityAndFacts) {
  const PdMetricRow& etcd = row("pd_etcd");
  const PdMetricEvaluation result =
      evaluate(etcd, parse_vector(fixture("prometheus/pd_etcd_answer.json")));
  ASSERT_FALSE(result.failure) << *result.failure;
  EXPECT_EQ(subjects(result.violations),
            (std::vector<std::string>{"pd-10.0.1.2-2379:wal-fsync", "pd-10.0.1.3-2379:time-slow",
                                      "leader-change"}));
  // pd-10.0.1.3 has no WAL series: unknown, never healthy. Its NaN peer
  // round trip is an idle histogram: healthy.
  EXPECT_EQ(subjects(result.unknown), std::vector<std::string>{"pd-10.0.1.3-2379:wal-fsync"});
  EXPECT_EQ(result.unknown[0].reason,
            "no etcd_disk_wal_fsync_duration_seconds series for PD member pd-10.0.1.3-2379 "
            "(instance 10.0.1.3:2379)");
  EXPECT_EQ(result.subjects_evaluated, 2u + 3u + 3u + 1u);

  const Violation& wal = result.violations[0];
  EXPECT_EQ(wal.severity, Severity::kConfigured);  // critical, the check's own
  EXPECT_EQ(wal.message,
            "PD member pd-10.0.1.2-2379 at http://10.0.1.2:2379 WAL fsync P99 1.5s exceeds "
            "threshold 1s");
  auto facts = facts_of(wal);
  EXPECT_EQ(facts["value"].value, "1.5234375");
  EXPECT_TRUE(facts["value"].is_number);
  EXPECT_EQ(facts["threshold"].value, "1");
  EXPECT_EQ(facts["name"].value, "pd-10.0.1.2-2379");
  EXPECT_EQ(facts["member_id"].value, "11592864702134592711");
  EXPECT_EQ(facts["client_urls"].value, "http://10.0.1.2:2379");
  EXPECT_EQ(facts["instance"].value, "10.0.1.2:2379");
  EXPECT_EQ(facts["condition"].value, "wal-fsync");

  const Violation& slow = result.violations[1];
  EXPECT_EQ(slow.severity, Severity::kWarning);  // below the check's critical
  EXPECT_EQ(slow.message,
            "PD member pd-10.0.1.3-2379 at http://10.0.1.3:2379 saw its system time go back 2 "
            "times in 10m, more than 0");
  const Violation& leader = result.violations[2];
  EXPECT_EQ(leader.severity, Severity::kWarning);
  EXPECT_EQ(leader.message,
            "2 PD members served as leader within 10m, more than 1: PD's leader changed");
  EXPECT_EQ(facts_of(leader).count("instance"), 0u);
}

TEST(PdEtcd, ExactlyAtTheThresholdIsNoViolation) {
  const PdMetricRow& etcd = row("pd_etcd");
  // Thresholds 1.5234375 s, 1 s, 2 changes, 2 members: every value on one.
  const PdMetricEvaluation result =
      evaluate(etcd, parse_vector(fixture("prometheus/pd_etcd_answer.json")), {1.5234375, 1, 2, 2});
  ASSERT_FALSE(result.failure);
  EXPECT_TRUE(result.violations.empty()) << result.violations[0].message;
  // A hair above by Prometheus' arithmetic still counts as equal (exceeds()).
  const PdMetricEvaluation hair =
      evaluate(etcd, {sample("wal-fsync", "10.0.1.1:2379", 1.0000000001)}, {1, 1, 0, 1});
  EXPECT_TRUE(hair.violations.empty());
}

TEST(PdEtcd, InfinityIsAViolationNegativeAndUnidleNaNAreUnknown) {
  const PdMetricRow& etcd = row("pd_etcd");
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const PdMetricEvaluation result = evaluate(
      etcd, {sample("wal-fsync", "10.0.1.1:2379", inf), sample("wal-fsync", "10.0.1.2:2379", nan),
             sample("wal-fsync", "10.0.1.3:2379", 0.002), sample("time-slow", "10.0.1.1:2379", nan),
             sample("time-slow", "10.0.1.2:2379", -1), sample("time-slow", "10.0.1.3:2379", 0),
             sample("leader-change", "", 1)});
  ASSERT_FALSE(result.failure);
  EXPECT_EQ(subjects(result.violations), std::vector<std::string>{"pd-10.0.1.1-2379:wal-fsync"});
  EXPECT_NE(result.violations[0].message.find("P99 +Infs exceeds"), std::string::npos)
      << result.violations[0].message;
  EXPECT_EQ(subjects(result.unknown),
            (std::vector<std::string>{"pd-10.0.1.1-2379:peer-rtt", "pd-10.0.1.2-2379:peer-rtt",
                                      "pd-10.0.1.3-2379:peer-rtt", "pd-10.0.1.1-2379:time-slow",
                                      "pd-10.0.1.2-2379:time-slow"}));
  EXPECT_EQ(result.unknown[3].reason,
            "PD member pd-10.0.1.1-2379's pd_tso_events is NaN, an unusable value");
}

TEST(PdEtcd, NothingEvaluatedFailsTheRunSayingWhy) {
  const PdMetricRow& etcd = row("pd_etcd");
  const PdMetricEvaluation none = evaluate(etcd, {});
  ASSERT_TRUE(none.failure);
  EXPECT_EQ(*none.failure,
            "nothing could be evaluated: Prometheus has no etcd_disk_wal_fsync_duration_seconds "
            "series for any of the 3 PD members; is it scraping PD?; Prometheus has no "
            "etcd_network_peer_round_trip_time_seconds series for any of the 3 PD members; is it "
            "scraping PD?; Prometheus has no pd_tso_events series for any of the 3 PD members; is "
            "it scraping PD?; no pd_tso_events series for leader-change; is Prometheus scraping "
            "PD?");
  EXPECT_TRUE(none.unknown.empty());
  EXPECT_TRUE(none.violations.empty());

  // Series whose instance is no member's client URL (a relabelled target).
  const PdMetricRow& tso = row("tso_latency");
  const PdMetricEvaluation relabelled =
      evaluate(tso, {sample("tso-handle", "pd-0", 0.001), sample("tso-handle", "pd-1", 0.001)});
  ASSERT_TRUE(relabelled.failure);
  EXPECT_EQ(*relabelled.failure,
            "Prometheus has no pd_server_handle_tso_duration_seconds series for any of the 3 PD "
            "members; is it scraping PD? (2 series have an instance label, e.g. 'pd-0', that is "
            "no PD member's client URL host:port)");
  EXPECT_EQ(relabelled.unmatched_series, 2u);

  const PdMetricEvaluation no_members =
      evaluate_pd_metric(tso, {sample("tso-handle", "10.0.1.1:2379", 0.001)}, std::vector{0.1},
                         std::vector{milliseconds(60'000)}, {});
  ASSERT_TRUE(no_members.failure);
  EXPECT_NE(no_members.failure->find("names no members"), std::string::npos);
}

TEST(TsoLatency, OneConditionNamesTheMemberAloneAndIdleFollowersAreHealthy) {
  const PdMetricRow& tso = row("tso_latency");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const PdMetricEvaluation result = evaluate(
      tso, {sample("tso-handle", "10.0.1.1:2379", nan), sample("tso-handle", "10.0.1.2:2379", 0.12),
            sample("tso-handle", "10.0.1.3:2379", nan)});
  ASSERT_FALSE(result.failure);
  EXPECT_TRUE(result.unknown.empty());
  ASSERT_EQ(subjects(result.violations), std::vector<std::string>{"pd-10.0.1.2-2379"});
  EXPECT_EQ(result.violations[0].message,
            "PD member pd-10.0.1.2-2379 at http://10.0.1.2:2379 TSO handle P99 0.12s exceeds "
            "threshold 0.1s");
  EXPECT_EQ(result.violations[0].severity, Severity::kConfigured);
}

TEST(RegionHealth, FixtureAnswerReadsTheLeaderAndMissingConditionsAreUnknown) {
  const PdMetricRow& region = row("region_health");
  const PdMetricEvaluation result =
      evaluate(region, parse_vector(fixture("prometheus/pd_region_health_answer.json")));
  ASSERT_FALSE(result.failure);
  // pending-peer exactly 100: no violation; offline-peer 0: healthy.
  EXPECT_EQ(subjects(result.violations), (std::vector<std::string>{"miss-peer", "down-peer"}));
  const Violation& miss = result.violations[0];
  EXPECT_EQ(miss.severity, Severity::kConfigured);
  EXPECT_EQ(miss.message, "150 regions miss a replica (miss-peer), more than 100");
  auto facts = facts_of(miss);
  EXPECT_EQ(facts["value"].value, "150");
  EXPECT_EQ(facts["threshold"].value, "100");
  EXPECT_EQ(facts["instance"].value, "10.0.1.2:2379");
  EXPECT_EQ(result.violations[1].severity, Severity::kWarning);
  EXPECT_EQ(result.violations[1].message, "2 regions have a down replica (down-peer), more than 0");
  ASSERT_EQ(subjects(result.unknown), std::vector<std::string>{"no-target-store"});
  EXPECT_NE(result.unknown[0].reason.find("no pd_checker_event_count series from PD's leader"),
            std::string::npos);
}

TEST(RegionHealth, NoLeaderSeriesFailsTheRunOfLeaderOnlyConditions) {
  const PdMetricEvaluation result = evaluate(row("region_health"), {});
  ASSERT_TRUE(result.failure);
  EXPECT_EQ(result.failure->rfind("nothing could be evaluated: no pd_regions_status series from "
                                  "PD's leader for miss-peer",
                                  0),
            0u)
      << *result.failure;
}

TEST(RegionHealth, TwoLeadersSeriesTakeTheLargerAndIncreasesShowTheirDigits) {
  const PdMetricEvaluation result =
      evaluate(row("region_health"),
               {sample("miss-peer", "10.0.1.1:2379", 120), sample("miss-peer", "10.0.1.2:2379", 3),
                sample("no-target-store", "10.0.1.2:2379", 0.02)});
  ASSERT_FALSE(result.failure);
  ASSERT_EQ(subjects(result.violations),
            (std::vector<std::string>{"miss-peer", "no-target-store"}));
  EXPECT_EQ(facts_of(result.violations[0])["instance"].value, "10.0.1.1:2379");
  EXPECT_EQ(result.violations[1].message,
            "PD found no store for a new replica 0.02 times in 1m, more than 0");
}

TEST(ClusterSpace, UsedShareAndLowSpaceStores) {
  const PdMetricRow& space = row("cluster_space");
  const PdMetricEvaluation result = evaluate(space, {sample("space-used", "10.0.1.2:2379", 85.25),
                                                     sample("low-space", "10.0.1.2:2379", 1)});
  ASSERT_FALSE(result.failure);
  ASSERT_EQ(subjects(result.violations), (std::vector<std::string>{"space-used", "low-space"}));
  EXPECT_EQ(result.violations[0].message,
            "The cluster's stores use 85.2% of their capacity, more than 80%");
  EXPECT_EQ(result.violations[0].severity, Severity::kConfigured);
  EXPECT_EQ(result.violations[1].message, "1 stores are low on space by PD's count, more than 0");
  // Exactly 80 %: no violation; a zero capacity (NaN) is unknown.
  const PdMetricEvaluation edge = evaluate(
      space, {sample("space-used", "10.0.1.2:2379", 80), sample("low-space", "10.0.1.2:2379", 0)});
  EXPECT_TRUE(edge.violations.empty());
  const PdMetricEvaluation zero =
      evaluate(space, {sample("space-used", "10.0.1.2:2379", std::nan("")),
                       sample("low-space", "10.0.1.2:2379", 0)});
  EXPECT_EQ(subjects(zero.unknown), std::vector<std::string>{"space-used"});
}

TEST(PdNodeRestart, RestartedMemberAndMembersWithoutSeries) {
  const PdMetricRow& restart = row("pd_node_restart");
  const PdMetricEvaluation result = evaluate(
      restart, {sample("restart", "10.0.1.3:2379", 1), sample("restart", "10.0.1.1:2379", 0)});
  ASSERT_FALSE(result.failure);
  ASSERT_EQ(subjects(result.violations), std::vector<std::string>{"pd-10.0.1.3-2379"});
  EXPECT_EQ(result.violations[0].message,
            "PD member pd-10.0.1.3-2379 at http://10.0.1.3:2379 restarted within 5m (its start "
            "time changed 1 times, more than 0)");
  EXPECT_EQ(subjects(result.unknown), std::vector<std::string>{"pd-10.0.1.2-2379"});
}

}  // namespace
}  // namespace opr::tikv
