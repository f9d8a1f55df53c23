// The TicketStore over one SOCI session. Calls are serialized by a mutex,
// so the engine's workers may share one store.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "tickets/connection.h"
#include "tickets/lifecycle.h"
#include "tickets/ticket_store.h"

namespace soci {
class session;
}

namespace opr::tickets {

class CachedQueries;

class SociTicketStore final : public TicketStore {
 public:
  // `target` names the database in errors, which never show its passwords.
  SociTicketStore(std::unique_ptr<soci::session> sql, ConnectionTarget target,
                  StoreOptions options);
  ~SociTicketStore() override;

  void set_options(const StoreOptions& options) override;
  void fence_results(const std::string& host) override;
  ApplyOutcome apply_success(const SuccessfulRun& run) override;
  ApplyOutcome apply_failure(const FailedRun& run) override;
  std::vector<int64_t> stop_flapping(TimePoint now) override;
  std::vector<int64_t> expire_acknowledgements(TimePoint now) override;
  int repeat_notifications(TimePoint now) override;
  void set_outbox_listener(std::function<void()> listener) override;
  std::vector<Notification> due_notifications(TimePoint now, int limit, bool hooks) override;
  void record_delivered(int64_t id, TimePoint at) override;
  void record_failed_attempt(int64_t id, const std::string& error,
                             std::optional<TimePoint> retry_at) override;
  void record_silenced(int64_t id, int64_t silence_id) override;
  std::optional<int64_t> silence_of(const Ticket& ticket, TimePoint now) override;
  Silence add_silence(const Silence& silence, TimePoint now) override;
  std::vector<Silence> silences(TimePoint now, bool include_expired) override;
  Silence expire_silence(int64_t id, const std::string& actor, TimePoint now) override;

  Ticket acknowledge(int64_t id, const std::string& actor, const std::string& note,
                     std::optional<TimePoint> until = std::nullopt) override;
  Ticket diagnose(int64_t id, const std::string& actor, const std::string& diagnosis) override;
  Ticket resolve(int64_t id, const std::string& actor, const std::string& note) override;
  Ticket hold(int64_t id, const std::string& actor, const std::string& note) override;
  Ticket unhold(int64_t id, const std::string& actor, const std::string& note) override;
  void add_event(int64_t id, const std::string& actor, const std::string& what,
                 const std::string& note) override;

  std::optional<Ticket> get(int64_t id) override;
  std::vector<Ticket> list(const ListFilter& filter) override;
  std::vector<TicketEvent> events(int64_t ticket_id) override;
  int64_t count_open() override;
  std::vector<OpenTicketCount> open_ticket_counts() override;
  std::vector<Notification> notifications(int64_t ticket_id) override;

 private:
  Ticket change(int64_t id, Action action, const std::string& actor, const std::string& text,
                std::optional<TimePoint> until = std::nullopt);
  // expire_acknowledgements inside the caller's write transaction (of
  // ticket `only_id` alone, when set).
  std::vector<int64_t> expire_acknowledgements_locked(TimePoint now,
                                                      std::optional<long long> only_id);
  std::optional<Ticket> get_locked(int64_t id);
  // Throws StoreError for `e`; when the database's connection is gone
  // (a PostgreSQL server restarted, or ended the session), marks it lost.
  [[noreturn]] void fail(const std::exception& e) const;
  // Locks mutex_ for a call that uses the connection, first opening a lost
  // one again (its prepared statements with it), so a restarted server
  // costs the calls that met it, not every call until the monitor
  // restarts. Throws StoreError when it cannot be yet.
  std::unique_lock<std::mutex> lock_connection();
  // After a committed write that may have written notifications.
  void outbox_written() const;

  std::mutex mutex_;
  std::unique_ptr<soci::session> sql_;
  std::unique_ptr<CachedQueries> queries_;  // uses sql_: declared after it, destroyed before
  const ConnectionTarget target_;
  StoreOptions options_;                   // guarded by mutex_
  std::function<void()> outbox_listener_;  // guarded by mutex_
  std::optional<std::string> fence_host_;  // guarded by mutex_; fence_results
  // The next repeat_notifications first catches up the receivers that
  // repeat: set at open and by set_options (a reload may add receivers).
  bool catch_up_ = false;      // guarded by mutex_
  mutable bool lost_ = false;  // guarded by mutex_; set by fail()
};

}  // namespace opr::tickets
