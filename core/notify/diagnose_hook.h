// The diagnosis hook (`diagnose` in the config): a program (argv, no shell)
// run once on each newly opened ticket it matches, with the ticket's JSON
// on stdin (the notification payload with the ticket's events added). Its
// stdout becomes the ticket's diagnosis exactly as `tickets diagnose` would
// record it, with the actor "hook:NAME". A hook that fails, times out or
// prints nothing leaves an event on the ticket saying so; it is not run
// again. This is how an AI agent, a script that gathers logs or a runbook
// robot plugs in.
#pragma once

#include "config/config.h"
#include "notify/receiver.h"

namespace opr::tickets {
class TicketStore;
}

namespace opr::notify {

class DiagnoseHook final : public Receiver {
 public:
  // `store` must outlive the hook.
  DiagnoseHook(config::ReceiverConfig config, tickets::TicketStore& store);
  Delivery deliver(const tickets::Notification& notification) override;

 private:
  // The program's stdin: the payload with "events": the ticket's last ones.
  std::string input(const tickets::Notification& notification) const;

  const config::ReceiverConfig config_;
  tickets::TicketStore& store_;
};

}  // namespace opr::notify
