// The monitor's sender: delivers what the outbox holds, on a thread of its
// own, and retries what fails (backoff.h) until the receiver's give-up age.
// What it cannot deliver stays pending in the database, so a restart picks
// up where a crash left off; a notification is marked delivered only after
// its receiver took it (at least once: a crash between the two sends it
// again, with the same notification id).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/time_format.h"
#include "config/config.h"
#include "notify/receiver.h"

namespace opr::notify {

// Attempts since the sender started.
struct SenderStats {
  uint64_t delivered = 0;
  uint64_t retried = 0;   // failed attempts that will be tried again
  uint64_t failed = 0;    // notifications given up
  uint64_t silenced = 0;  // held back by a silence set after they were written
};

class Sender {
 public:
  // Which notifications a sender delivers: the receivers', or the
  // diagnosis hooks' (a hook may run for minutes; a page must not wait).
  enum class Lane { receivers, hooks };

  // `store` must outlive the sender. A pass runs when woken, and every
  // `poll` while started (for retries that come due, and notifications
  // written by other processes: `tickets ack` run elsewhere) as long as the
  // config has a receiver of the sender's lane: without one there is
  // nothing to deliver, and the sender waits for a wake or a new config
  // instead of reading the database every `poll`.
  Sender(tickets::TicketStore& store, std::shared_ptr<const http::Client> http,
         std::chrono::milliseconds poll = std::chrono::seconds(1), Lane lane = Lane::receivers);
  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  // The receivers of the config, at start and at each reload. A pending
  // notification of a receiver the config no longer has fails at its next
  // attempt.
  void configure(const std::vector<config::ReceiverConfig>& receivers);

  // Several hosts (cluster/): the thread's passes deliver only while
  // `may_send` says yes (this host holds the chores' lease), or each page
  // would go out once per host. Set before start(); none: always.
  void set_gate(std::function<bool()> may_send);
  void start();
  // Returns once the delivery in flight, if any, is done.
  void stop();
  // A pass now rather than at the next poll: the outbox has new rows. Any
  // thread; quick.
  void wake();

  // One pass: one attempt at every notification due by `now` (the thread
  // makes one every poll; --once and tests call it). Ends early, after the
  // delivery in flight, when stop() is called.
  SenderStats send_due(TimePoint now);

  SenderStats totals() const;

 private:
  struct Configured {
    config::ReceiverConfig config;
    std::unique_ptr<Receiver> receiver;
  };
  using Receivers = std::map<std::string, Configured>;

  void loop();
  bool stopping() const;
  void attempt(const tickets::Notification& notification, const Receivers& receivers,
               SenderStats& pass);

  tickets::TicketStore& store_;
  const std::shared_ptr<const http::Client> http_;
  const std::chrono::milliseconds poll_;
  const Lane lane_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  bool has_lane_receivers_ = false;             // guarded by mutex_
  std::shared_ptr<const Receivers> receivers_;  // guarded by mutex_
  std::function<bool()> gate_;                  // set before start()
  SenderStats totals_;                          // guarded by mutex_
  std::mt19937_64 random_{std::random_device{}()};
  std::thread thread_;
};

}  // namespace opr::notify
