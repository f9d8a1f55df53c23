// A receiver delivers one notification's payload somewhere; the sender
// retries what it could not deliver.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "tickets/outbox.h"

namespace opr::http {
class Client;
}

namespace opr::tickets {
class TicketStore;
}

namespace opr::notify {

struct Delivery {
  bool ok = false;
  std::string error;  // why not, for the log and `tickets show`
};

class Receiver {
 public:
  virtual ~Receiver() = default;
  // Called from the sender's thread only, with the whole body in
  // notification.payload (the ticket added). Never throws.
  virtual Delivery deliver(const tickets::Notification& notification) = 0;
};

// The receiver `config` describes. A diagnosis hook records into `store`,
// which must outlive it.
std::unique_ptr<Receiver> make_receiver(const config::ReceiverConfig& config,
                                        std::shared_ptr<const http::Client> http,
                                        tickets::TicketStore& store);

}  // namespace opr::notify
