// The per-store metric family end to end, every row of store_metric_rows()
// against one tikv-sim and one real Prometheus for the whole binary (ctest
// runs it as one test, TikvMetricFamily): each row's fault is injected on a
// store of its own, so that the rows go through each phase together:
//   1. faults injected -> a ticket per row after the grace, with the row's
//      severity, subject, message and facts;
//   2. healed -> every ticket resolved;
//   3. the row's metric missing for its store -> that store unknown, the run
//      not ok-and-silent about it;
//   4. the healthy value exactly on the threshold -> no violation.
// Phases run once (on the first test that needs them); each TEST_P then
// asserts on its row.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store_metric_rows.h"
#include "text.h"
#include "tikv_cluster.h"
#include "tikv_instance.h"

namespace opr::test {
namespace {

using tikv::StoreMetricRow;

// How tikv-sim plays a row (tools/tikv-sim/README.md, "Metric family").
struct RowCase {
  std::string check;
  std::string fault;    // POST /sim/stores/N body that breaks the row
  std::string heal;     // ... that restores the healthy value
  std::string missing;  // ... that takes the row's series away from the store
  std::string present;  // ... that brings them back
  // The row's parameter that puts the healthy value exactly on the
  // threshold (or, for histograms, tikv-sim's value just below it); ""
  // when tikv-sim cannot hold a value exactly (rates of its counters
  // jitter with scrape timing: the unit tests pin the boundary).
  std::string at_threshold;
  // rate_window: a step (a gauge set once, a restart) shows for one window,
  // which must outlast the grace and a few runs.
  int window_s = 3;
};

std::string hide(const std::string& field) {
  return R"({"missing_metrics": [")" + field + R"("]})";
}
const std::string kShow = R"({"missing_metrics": []})";

const std::vector<RowCase>& cases() {
  static const std::vector<RowCase> all = {
      {"write_stall", R"({"write_stall_per_s": 10})", R"({"write_stall_per_s": 0})",
       hide("write_stall_per_s"), kShow, "0"},
      // Absent counters read 0 while the store is scraped: missing is the
      // store's tikv_store_size_bytes (what says it is scraped).
      {"channel_full", R"({"channel_full_per_s": 5})", R"({"channel_full_per_s": 0})",
       R"({"disk_metric": "missing", "missing_metrics": ["channel_full_per_s"]})",
       R"({"disk_metric": "normal", "missing_metrics": []})", "0"},
      {"raft_log_lag", R"({"raft_log_lag_p99": 8000})", R"({"raft_log_lag_p99": 10})",
       hide("raft_log_lag_p99"), kShow, "10"},
      {"async_write_duration", R"({"async_write_p99_s": 2})", R"({"async_write_p99_s": 0.002})",
       hide("async_write_p99_s"), kShow, "0.002"},
      {"async_snapshot_duration", R"({"async_snapshot_p99_s": 2})",
       R"({"async_snapshot_p99_s": 0.001})", hide("async_snapshot_p99_s"), kShow, "0.001"},
      {"raft_append_log_duration", R"({"raft_append_log_p99_s": 2})",
       R"({"raft_append_log_p99_s": 0.001})", hide("raft_append_log_p99_s"), kShow, "0.001"},
      {"raft_apply_log_duration", R"({"raft_apply_log_p99_s": 2})",
       R"({"raft_apply_log_p99_s": 0.001})", hide("raft_apply_log_p99_s"), kShow, "0.001"},
      {"scheduler_latch_wait", R"({"scheduler_latch_wait_p99_s": 2})",
       R"({"scheduler_latch_wait_p99_s": 0.0005})", hide("scheduler_latch_wait_p99_s"), kShow,
       "0.0005"},
      {"coprocessor_wait", R"({"coprocessor_wait_p99_s": 20})",
       R"({"coprocessor_wait_p99_s": 0.001})", hide("coprocessor_wait_p99_s"), kShow, ""},
      {"raftstore_cpu", R"({"raftstore_cpu": 2.5})", R"({"raftstore_cpu": 0.3})",
       hide("raftstore_cpu"), kShow, ""},
      {"apply_cpu", R"({"apply_cpu": 2.5})", R"({"apply_cpu": 0.2})", hide("apply_cpu"), kShow, ""},
      {"unreachable_reports", R"({"unreachable_reports_per_s": 20})",
       R"({"unreachable_reports_per_s": 0})",
       R"({"disk_metric": "missing", "missing_metrics": ["unreachable_reports_per_s"]})",
       R"({"disk_metric": "normal", "missing_metrics": []})", "0"},
      {"memory_growth", R"({"resident_memory_bytes": 10737418240})",
       R"({"resident_memory_bytes": 4294967296})", hide("resident_memory_bytes"), kShow, "0", 10},
      {"gc_not_working", R"({"gc_tasks_per_s": 0})", R"({"gc_tasks_per_s": 1})",
       hide("gc_tasks_per_s"), kShow, ""},
      {"node_restart", R"({"restart": true})", "{}", hide("process_start_time_seconds"), kShow, "0",
       10},
      {"scheduler_pending", R"({"scheduler_contexts": 5000})", R"({"scheduler_contexts": 0})",
       hide("scheduler_contexts"), kShow, "0", 10},
      {"worker_pending_tasks", R"({"worker_pending_tasks": 5000})",
       R"({"worker_pending_tasks": 0})", hide("worker_pending_tasks"), kShow, "0"},
      {"leader_drops", R"({"leader_count": 50})", R"({"leader_count": 100})", hide("leader_count"),
       kShow, "0", 10},
      // tikv-sim plays these two histograms' P99.9, the quantile they read.
      {"raft_process_ready", R"({"raft_process_ready_p999_s": 5})",
       R"({"raft_process_ready_p999_s": 0.004})", hide("raft_process_ready_p999_s"), kShow,
       "0.004"},
      {"raft_process_tick", R"({"raft_process_tick_p999_s": 5})",
       R"({"raft_process_tick_p999_s": 0.001})", hide("raft_process_tick_p999_s"), kShow, "0.001"},
      {"scheduler_command_duration", R"({"scheduler_command_p99_s": 3})",
       R"({"scheduler_command_p99_s": 0.004})", hide("scheduler_command_p99_s"), kShow, "0.004"},
      {"coprocessor_request_error", R"({"coprocessor_errors_per_s": 200})",
       R"({"coprocessor_errors_per_s": 0})",
       R"({"disk_metric": "missing", "missing_metrics": ["coprocessor_errors_per_s"]})",
       R"({"disk_metric": "normal", "missing_metrics": []})", "0"},
      {"coprocessor_lock_error", R"({"coprocessor_lock_errors_per_s": 20000})",
       R"({"coprocessor_lock_errors_per_s": 0})",
       R"({"disk_metric": "missing", "missing_metrics": ["coprocessor_lock_errors_per_s"]})",
       R"({"disk_metric": "normal", "missing_metrics": []})", "0"},
  };
  return all;
}

// Row i breaks store i + 1; two more stores stay healthy throughout.
int store_of(size_t row) { return static_cast<int>(row) + 1; }

// The checks section: the three other checks off, every row on with a short
// grace and window (and `extra` parameters by check).
std::string checks_yaml(const std::map<std::string, std::string>& extra = {}) {
  std::string out =
      "store_up: {enabled: false}\n      latency: {enabled: false}\n"
      "      disk_space: {enabled: false}";
  for (size_t i = 0; i < tikv::kStoreMetricRowCount; ++i) {
    const StoreMetricRow& row = tikv::store_metric_rows()[i];
    const std::string name(row.name);
    out += "\n      " + name + ": {grace: 1s";
    if (!row.window_default.empty())
      out += ", rate_window: " + std::to_string(cases()[i].window_s) + "s";
    if (const auto it = extra.find(name); it != extra.end()) out += ", " + it->second;
    out += "}";
  }
  return out;
}

struct Outcome {
  std::optional<Json> ticket;                      // phase 1
  std::optional<std::string> status;               // phase 2: the ticket's status once healed
  std::optional<plugins::RunResult> missing;       // phase 3
  std::optional<plugins::RunResult> at_threshold;  // phase 4
};

class Phases {
 public:
  Phases() : cluster_(cases().size() + 2) { run(); }
  const Outcome& outcome(const std::string& check) { return outcomes_[check]; }
  const std::string& failure() const { return failure_; }

 private:
  void change(size_t i, const std::string& body) { cluster_.sim().change_store(store_of(i), body); }

  // The newest ticket of each row's check for its store.
  std::map<std::string, Json> row_tickets(const TikvHost& host) {
    std::map<std::string, Json> out;
    for (const Json& t : host.cli_tickets()) {  // newest first
      for (size_t i = 0; i < cases().size(); ++i) {
        if (t["check"] == cases()[i].check && t["subject"] == std::to_string(store_of(i)) &&
            !out.count(cases()[i].check))
          out[cases()[i].check] = t;
      }
    }
    return out;
  }

  void run() {
    ASSERT_TRUE(cluster_.wait_for_p99_ms({}));
    TikvHost host(target_yaml(cluster_, checks_yaml()));
    // Healthy first: every row evaluated, none violated (a few scrapes in).
    CommandResult last;
    if (!wait_until([&] { return (last = host.run_once()).exit_code == 0; }, kPatience,
                    std::chrono::milliseconds(500))) {
      failure_ = "the healthy cluster never ran clean:\n" + last.out + last.err;
      return;
    }

    for (size_t i = 0; i < cases().size(); ++i) change(i, cases()[i].fault);
    std::map<std::string, Json> tickets;
    wait_until(
        [&] {
          host.run_once();
          tickets = row_tickets(host);
          return tickets.size() == cases().size();
        },
        kPatience, std::chrono::milliseconds(250));
    for (auto& [check, ticket] : tickets) outcomes_[check].ticket = ticket;

    for (size_t i = 0; i < cases().size(); ++i) change(i, cases()[i].heal);
    wait_until(
        [&] {
          host.run_once();
          tickets = row_tickets(host);
          for (const auto& [check, ticket] : tickets) {
            if (ticket["status"] != "resolved") return false;
          }
          return true;
        },
        kPatience, std::chrono::milliseconds(250));
    for (auto& [check, ticket] : tickets) outcomes_[check].status = ticket["status"];

    // Missing and on-threshold runs go through the pack in this process,
    // which shows a run's unknown subjects.
    for (size_t i = 0; i < cases().size(); ++i) change(i, cases()[i].missing);
    TikvInstance instance(target_yaml(cluster_, checks_yaml()));
    for (size_t i = 0; i < cases().size(); ++i) {
      const std::string& check = cases()[i].check;
      const std::string subject = std::to_string(store_of(i));
      plugins::RunResult result;
      wait_until(
          [&] {
            result = instance.run(check);
            const auto unknown = unknown_subjects(result);
            return result.ok && std::find(unknown.begin(), unknown.end(), subject) != unknown.end();
          },
          kPatience, std::chrono::milliseconds(250));
      outcomes_[check].missing = result;
    }
    for (size_t i = 0; i < cases().size(); ++i) change(i, cases()[i].present);

    std::map<std::string, std::string> thresholds;
    for (const RowCase& c : cases()) {
      if (!c.at_threshold.empty()) thresholds[c.check] = "threshold: " + c.at_threshold;
    }
    TikvInstance on_threshold(target_yaml(cluster_, checks_yaml(thresholds)));
    for (const RowCase& c : cases()) {
      if (c.at_threshold.empty()) continue;
      plugins::RunResult result;
      // Once every store is back (no unknown subject), the verdict counts.
      wait_until(
          [&] {
            result = on_threshold.run(c.check);
            return result.ok && result.unknown.empty();
          },
          kPatience, std::chrono::milliseconds(250));
      outcomes_[c.check].at_threshold = result;
    }
  }

  TikvCluster cluster_;
  std::map<std::string, Outcome> outcomes_;
  std::string failure_;
};

Phases& phases() {
  static Phases shared;
  return shared;
}

class TikvMetricFamily : public testing::TestWithParam<size_t> {};

TEST_P(TikvMetricFamily, FaultTicketHealResolveMissingUnknownThresholdSilent) {
  const size_t i = GetParam();
  const StoreMetricRow& row = tikv::store_metric_rows()[i];
  const RowCase& c = cases()[i];
  ASSERT_EQ(c.check, row.name) << "cases() follows store_metric_rows()";
  Phases& all = phases();
  ASSERT_EQ(all.failure(), "");
  const Outcome& outcome = all.outcome(c.check);
  const std::string store = std::to_string(store_of(i));

  ASSERT_TRUE(outcome.ticket) << c.check << ": no ticket for store " << store;
  const Json& ticket = *outcome.ticket;
  EXPECT_EQ(ticket["severity"], row.level == tikv::Level::kCritical ? "critical" : "warning");
  const std::string message = ticket["message"];
  const std::string prefix = "Store " + store + " " +
                             tikv::store_metric_label(row, std::chrono::seconds(c.window_s)) + " ";
  const std::string suffix =
      std::string(row.direction == tikv::Direction::kAbove ? " exceeds threshold "
                                                           : " is below threshold ") +
      tikv::format_decimal(std::stod(std::string(row.threshold_default)), 1) +
      std::string(row.unit);
  EXPECT_EQ(message.rfind(prefix, 0), 0u) << message;
  EXPECT_TRUE(message.size() > suffix.size() &&
              message.compare(message.size() - suffix.size(), suffix.size(), suffix) == 0)
      << message;
  const Json& facts = ticket["metric_snapshot"];
  EXPECT_TRUE(facts.contains("value")) << facts.dump();
  EXPECT_EQ(facts["threshold"].get<double>(), std::stod(std::string(row.threshold_default)));
  std::string address = status_address(store_of(i));
  address.replace(address.size() - 5, 5, "20160");  // host:20180 -> host:20160
  EXPECT_EQ(facts["address"], address);
  EXPECT_EQ(facts["status_address"], status_address(store_of(i)));

  EXPECT_EQ(outcome.status.value_or("none"), "resolved");

  ASSERT_TRUE(outcome.missing);
  EXPECT_TRUE(outcome.missing->ok) << outcome.missing->error;
  const auto unknown = unknown_subjects(*outcome.missing);
  EXPECT_NE(std::find(unknown.begin(), unknown.end(), store), unknown.end())
      << c.check << ": store " << store << " not unknown with its metric missing";
  const auto violated = violation_subjects(*outcome.missing);
  EXPECT_EQ(std::find(violated.begin(), violated.end(), store), violated.end());

  if (c.at_threshold.empty()) return;
  ASSERT_TRUE(outcome.at_threshold);
  EXPECT_TRUE(outcome.at_threshold->ok) << outcome.at_threshold->error;
  EXPECT_TRUE(outcome.at_threshold->unknown.empty());
  EXPECT_EQ(violation_subjects(*outcome.at_threshold), std::vector<std::string>{})
      << c.check << " with threshold " << c.at_threshold;
}

INSTANTIATE_TEST_SUITE_P(Rows, TikvMetricFamily,
                         testing::Range<size_t>(0, tikv::kStoreMetricRowCount),
                         [](const testing::TestParamInfo<size_t>& info) {
                           return std::string(tikv::store_metric_rows()[info.param].name);
                         });

}  // namespace
}  // namespace opr::test
