// The command receiver: runs a program (argv, no shell) with the
// notification's JSON payload on its stdin, for mail, chat or paging tools
// without an HTTP API. Exit status 0 within the receiver's timeout is a
// delivery; anything else (another status, a signal, the timeout, a program
// that cannot be started) is retried.
#pragma once

#include "config/config.h"
#include "notify/receiver.h"

namespace opr::notify {

class CommandReceiver final : public Receiver {
 public:
  explicit CommandReceiver(config::ReceiverConfig config);
  // The error of a failed attempt says how it ended and ends with the last
  // line the program wrote (to stdout or stderr), if any.
  Delivery deliver(const tickets::Notification& notification) override;

 private:
  const config::ReceiverConfig config_;
};

}  // namespace opr::notify
