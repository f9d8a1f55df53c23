// A TicketStore that remembers what the engine asked of it and answers
// what a test set, or throws like a database that is down. The calls the
// engine never makes fail the test.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <vector>

#include "tickets/ticket_store.h"

namespace opr::engine::testing {

class FakeTicketStore final : public tickets::TicketStore {
 public:
  // What was applied, in order.
  std::vector<tickets::SuccessfulRun> successes;
  std::vector<tickets::FailedRun> failures;
  // What the next applies answer.
  tickets::ApplyOutcome outcome;
  int64_t open_tickets = 0;
  std::vector<int64_t> stopped_flapping, expired_acks;
  int repeated = 0;
  // Set: every call throws this, as a database that is down does.
  std::optional<std::string> down;

  void set_options(const tickets::StoreOptions&) override {}
  void fence_results(const std::string&) override {}
  tickets::ApplyOutcome apply_success(const tickets::SuccessfulRun& run) override {
    fail_if_down();
    successes.push_back(run);
    return outcome;
  }
  tickets::ApplyOutcome apply_failure(const tickets::FailedRun& run) override {
    fail_if_down();
    failures.push_back(run);
    return outcome;
  }
  std::vector<int64_t> stop_flapping(TimePoint) override {
    fail_if_down();
    return stopped_flapping;
  }
  int repeat_notifications(TimePoint) override {
    fail_if_down();
    return repeated;
  }
  std::vector<int64_t> expire_acknowledgements(TimePoint) override {
    fail_if_down();
    return expired_acks;
  }
  int64_t count_open() override {
    fail_if_down();
    return open_tickets;
  }
  std::vector<tickets::OpenTicketCount> open_ticket_counts() override {
    fail_if_down();
    return {};
  }

  void set_outbox_listener(std::function<void()>) override { unused(); }
  std::vector<tickets::Notification> due_notifications(TimePoint, int, bool) override {
    return unused<std::vector<tickets::Notification>>();
  }
  void record_delivered(int64_t, TimePoint) override { unused(); }
  void record_failed_attempt(int64_t, const std::string&, std::optional<TimePoint>) override {
    unused();
  }
  void record_silenced(int64_t, int64_t) override { unused(); }
  std::optional<int64_t> silence_of(const tickets::Ticket&, TimePoint) override {
    return unused<std::optional<int64_t>>();
  }
  tickets::Silence add_silence(const tickets::Silence&, TimePoint) override {
    return unused<tickets::Silence>();
  }
  std::vector<tickets::Silence> silences(TimePoint, bool) override {
    return unused<std::vector<tickets::Silence>>();
  }
  tickets::Silence expire_silence(int64_t, const std::string&, TimePoint) override {
    return unused<tickets::Silence>();
  }
  tickets::Ticket acknowledge(int64_t, const std::string&, const std::string&,
                              std::optional<TimePoint>) override {
    return unused<tickets::Ticket>();
  }
  tickets::Ticket diagnose(int64_t, const std::string&, const std::string&) override {
    return unused<tickets::Ticket>();
  }
  tickets::Ticket resolve(int64_t, const std::string&, const std::string&) override {
    return unused<tickets::Ticket>();
  }
  tickets::Ticket hold(int64_t, const std::string&, const std::string&) override {
    return unused<tickets::Ticket>();
  }
  tickets::Ticket unhold(int64_t, const std::string&, const std::string&) override {
    return unused<tickets::Ticket>();
  }
  void add_event(int64_t, const std::string&, const std::string&, const std::string&) override {
    unused();
  }
  std::optional<tickets::Ticket> get(int64_t) override {
    return unused<std::optional<tickets::Ticket>>();
  }
  std::vector<tickets::Ticket> list(const tickets::ListFilter&) override {
    return unused<std::vector<tickets::Ticket>>();
  }
  std::vector<tickets::TicketEvent> events(int64_t) override {
    return unused<std::vector<tickets::TicketEvent>>();
  }
  std::vector<tickets::Notification> notifications(int64_t) override {
    return unused<std::vector<tickets::Notification>>();
  }

 private:
  void fail_if_down() const {
    if (down) throw tickets::StoreError(*down);
  }
  template <typename T = void>
  T unused() {
    ADD_FAILURE() << "the engine's recorder does not make this call";
    if constexpr (!std::is_void_v<T>) return T{};
  }
};

}  // namespace opr::engine::testing
