// What the sender tests start from: a real ticket database whose router
// sends every event to the given receivers, holding one critical ticket
// (prod/store_up/2, "Store 2 is Down") opened now, so one notification per
// receiver is due.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "notify/router.h"
#include "tickets/ticket_store.h"

namespace opr::notify::test {

struct OneTicket {
  std::unique_ptr<tickets::TicketStore> store;
  int64_t ticket_id = 0;
};

inline OneTicket open_one_ticket(const std::filesystem::path& db,
                                 const std::vector<config::ReceiverConfig>& receivers,
                                 const std::string& metric_snapshot = "{}") {
  config::Config config;
  config.receivers = receivers;
  tickets::StoreOptions options;
  options.router = make_router(config);
  OneTicket opened{tickets::TicketStore::open(db.string(), options), 0};
  tickets::ObservedViolation violation;
  violation.subject = "2";
  violation.message = "Store 2 is Down";
  violation.severity = Severity::critical;
  violation.metric_snapshot = metric_snapshot;
  opened.store->apply_success({.target = "prod",
                               .check = "store_up",
                               .at = now_ms(),
                               .batch_key = "b",
                               .violations = {violation},
                               .unknown = {},
                               .interval = {}});
  opened.ticket_id = opened.store->list({}).at(0).id;
  return opened;
}

// A receiver that runs `argv`: a `command` receiver, or with
// ReceiverType::diagnose a diagnosis hook (tried once).
inline config::ReceiverConfig program(config::ReceiverType type, const std::string& name,
                                      std::vector<std::string> argv,
                                      std::chrono::milliseconds timeout) {
  config::ReceiverConfig receiver;
  receiver.name = name;
  receiver.type = type;
  receiver.command = std::move(argv);
  receiver.timeout = timeout;
  if (type == config::ReceiverType::diagnose) receiver.retry.give_up_after = {};
  return receiver;
}

}  // namespace opr::notify::test
