// Routing from the config: which `notify` receivers hear of a ticket event,
// and the labels and annotations its check carries.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "tickets/outbox.h"

namespace opr::notify {

class ConfigRouter final : public tickets::NotificationRouter {
 public:
  // Copies what it needs of `config`.
  explicit ConfigRouter(const config::Config& config);

  // A receiver hears of an event when each of its matchers that is set
  // holds: the ticket's severity, target and check (a `:failed` ticket's
  // check is matched by its own name or by the check's) are among the
  // listed ones, and every matcher label is among the check's labels with
  // the same value. A ticket of a check the config does not list carries
  // its target's labels; one of a target it no longer has, none. The route
  // names the target's pack.
  tickets::Route route(const tickets::RouteQuery& query) const override;
  // A receiver's repeat_interval; an Alertmanager's resend_interval, until
  // the ticket resolves.
  bool repeats() const override;
  std::vector<std::string> repeating_receivers() const override;
  std::chrono::milliseconds repeat_interval(const std::string& receiver) const override;
  bool repeats_until_resolved(const std::string& receiver) const override;

 private:
  struct Labels {
    config::LabelMap labels;
    config::LabelMap annotations;
  };
  std::vector<config::ReceiverConfig> receivers_;
  std::map<std::pair<std::string, std::string>, Labels> checks_;  // (target, check) ->
  std::map<std::string, Labels> targets_;     // target -> its own (for checks not listed)
  std::map<std::string, std::string> packs_;  // target -> its pack
};

// The router for `config`, or null when it has no receivers.
std::shared_ptr<const tickets::NotificationRouter> make_router(const config::Config& config);

}  // namespace opr::notify
