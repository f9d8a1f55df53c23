#include "ticket_seeding.h"

#include <chrono>
#include <stdexcept>

namespace opr::bench {

tickets::SuccessfulRun store_up_run(size_t first, size_t count, TimePoint at) {
  tickets::SuccessfulRun run;
  run.target = "bench-tikv";
  run.check = "store_up";
  run.at = at;
  run.batch_key = "bench-tikv@2026-01-01T00:00:00.000Z";
  run.violations.reserve(count);
  for (size_t id = first; id < first + count; ++id) {
    const std::string subject = std::to_string(id);
    tickets::ObservedViolation v;
    v.subject = subject;
    v.message =
        "Store " + subject + " is Down: no heartbeat for 35m12s (last 2026-01-01T00:00:00Z)";
    v.severity = Severity::critical;
    v.metric_snapshot = R"({"address":"10.0.1.12:20160","status_address":"10.0.1.12:20180",)"
                        R"("state_name":"Down","last_heartbeat_ts":"2026-01-01T00:00:00Z",)"
                        R"("heartbeat_age_s":2112,"store_id":)" +
                        subject + "}";
    run.violations.push_back(std::move(v));
  }
  return run;
}

void seed_tickets(const std::string& path, size_t total, size_t open) {
  if (open > total) throw std::invalid_argument("more open tickets than tickets");
  auto store = tickets::TicketStore::open(path);
  const TimePoint start = now_ms() - std::chrono::hours(1);
  store->apply_success(store_up_run(1, total, start));
  store->apply_success(store_up_run(1, open, start + std::chrono::minutes(1)));
}

}  // namespace opr::bench
