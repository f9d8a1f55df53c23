// A fresh ticket database for each test, on each backend: a SQLite file in
// a temp folder, or a database of its own on the test binary's PostgreSQL
// server. Helpers speak in the engine's terms (runs of one target/check at
// a given time). A suite of StoreTest runs on both backends through
// OPR_STORE_BACKENDS(Suite): Sqlite/Suite.Test and Postgres/Suite.Test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "postgres_server.h"
#include "test_support.h"
#include "tickets/ticket_store.h"

namespace opr::tickets::test {

inline TimePoint at_seconds(int64_t seconds) {
  // A fixed day, so runs at +N seconds read clearly in failures.
  return TimePoint(std::chrono::milliseconds(1'795'000'000'000LL + seconds * 1000));
}

inline ObservedViolation violation(const std::string& subject, const std::string& message = "bad",
                                   std::chrono::milliseconds grace = {},
                                   Severity severity = Severity::warning) {
  ObservedViolation v;
  v.subject = subject;
  v.message = message;
  v.severity = severity;
  v.grace = grace;
  v.metric_snapshot = R"({"value":1})";
  return v;
}

inline UnknownSubject unknown(const std::string& subject, const std::string& reason = "no data") {
  return UnknownSubject{subject, reason};
}

inline SuccessfulRun run(const std::string& target, const std::string& check, TimePoint at,
                         std::vector<ObservedViolation> violations,
                         std::vector<UnknownSubject> unknown = {},
                         std::chrono::milliseconds interval = {}) {
  return SuccessfulRun{.target = target,
                       .check = check,
                       .at = at,
                       .batch_key = target + "@" + format_utc(at),
                       .violations = std::move(violations),
                       .unknown = std::move(unknown),
                       .interval = interval};
}

inline FailedRun failure(const std::string& target, const std::string& check,
                         const std::string& error, TimePoint at, int threshold = 3,
                         Severity severity = Severity::warning) {
  return FailedRun{.target = target,
                   .check = check,
                   .error = error,
                   .cause = "",
                   .threshold = threshold,
                   .severity = severity,
                   .at = at};
}

enum class Backend { sqlite, postgres };

inline void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::sqlite ? "sqlite" : "postgres");
}

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::postgres) {
      const opr::test::PostgresTestDatabase postgres = opr::test::postgres_test_database();
      if (postgres.server == nullptr) GTEST_SKIP() << postgres.skip_reason;
      connection_ = postgres.socket_uri;
    } else {
      connection_ = (dir_ / "tickets.db").string();
    }
    store_ = TicketStore::open(connection());
  }
  // What TicketStore::open and --db take for this test's database.
  const std::string& connection() const { return connection_; }
  void reopen(StoreOptions options = {}) {
    store_.reset();
    store_ = TicketStore::open(connection(), options);
  }
  // The only non-resolved ticket of a key.
  Ticket open_ticket(const std::string& key) {
    std::vector<Ticket> found;
    for (auto& ticket : store_->list({})) {
      if (ticket.violation_key == key) found.push_back(ticket);
    }
    EXPECT_EQ(found.size(), 1u) << key;
    return found.empty() ? Ticket{} : found.front();
  }
  std::vector<std::string> event_path(int64_t id) {
    std::vector<std::string> path;
    for (const auto& event : store_->events(id)) {
      path.push_back(event.from_status + ">" + event.to_status);
    }
    return path;
  }

  opr::test::TempDir dir_;
  std::string connection_;
  std::unique_ptr<TicketStore> store_;
};

// Runs every test of `suite` (a StoreTest) on SQLite and on PostgreSQL.
#define OPR_STORE_BACKENDS(suite)                                                     \
  INSTANTIATE_TEST_SUITE_P(Sqlite, suite,                                             \
                           ::testing::Values(::opr::tickets::test::Backend::sqlite)); \
  INSTANTIATE_TEST_SUITE_P(Postgres, suite,                                           \
                           ::testing::Values(::opr::tickets::test::Backend::postgres))

}  // namespace opr::tickets::test
