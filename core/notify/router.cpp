#include "notify/router.h"

#include <algorithm>

#include "tickets/ticket.h"

namespace opr::notify {

namespace {

template <typename T>
bool listed(const std::vector<T>& list, const T& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

bool matches(const config::ReceiverMatch& match, const tickets::RouteQuery& query,
             const std::string& check, const std::map<std::string, std::string>& labels) {
  if (!listed(match.severities, query.severity) || !listed(match.targets, query.target)) {
    return false;
  }
  if (!match.checks.empty() && !listed(match.checks, query.check) && !listed(match.checks, check) &&
      std::none_of(query.blocks.begin(), query.blocks.end(), [&](const std::string& blocked) {
        return listed(match.checks, blocked) ||
               listed(match.checks, tickets::failed_check_name(blocked));
      })) {
    return false;
  }
  for (const auto& [name, value] : match.labels) {
    const auto found = labels.find(name);
    if (found == labels.end() || found->second != value) return false;
  }
  return true;
}

}  // namespace

ConfigRouter::ConfigRouter(const config::Config& config) : receivers_(config.receivers) {
  for (const auto& target : config.targets) {
    packs_[target.name] = target.pack;
    targets_[target.name] = {target.labels, target.annotations};
    for (const auto& check : target.checks) {
      checks_[{target.name, check.name}] = {check.labels, check.annotations};
    }
  }
}

tickets::Route ConfigRouter::route(const tickets::RouteQuery& query) const {
  tickets::Route route;
  if (const auto pack = packs_.find(query.target); pack != packs_.end()) route.pack = pack->second;
  const std::string check = tickets::base_check_name(query.check);
  const Labels* labels = nullptr;
  if (const auto found = checks_.find({query.target, check}); found != checks_.end()) {
    labels = &found->second;
  } else if (const auto target = targets_.find(query.target); target != targets_.end()) {
    labels = &target->second;
  }
  if (labels != nullptr) {
    route.labels.insert(labels->labels.begin(), labels->labels.end());
    route.annotations.insert(labels->annotations.begin(), labels->annotations.end());
  }
  for (const auto& receiver : receivers_) {
    // A diagnosis hook hears of a ticket once: when it opens.
    if (receiver.type == config::ReceiverType::diagnose &&
        query.event != tickets::NotifyEvent::opened) {
      continue;
    }
    if (matches(receiver.match, query, check, route.labels)) {
      route.receivers.push_back(receiver.outbox_name());
    }
  }
  return route;
}

namespace {

std::chrono::milliseconds interval_of(const config::ReceiverConfig& receiver) {
  return receiver.type == config::ReceiverType::alertmanager ? receiver.resend_interval
                                                             : receiver.repeat_interval;
}

}  // namespace

bool ConfigRouter::repeats() const {
  return std::any_of(receivers_.begin(), receivers_.end(),
                     [](const auto& receiver) { return interval_of(receiver).count() > 0; });
}

std::vector<std::string> ConfigRouter::repeating_receivers() const {
  std::vector<std::string> names;
  for (const auto& receiver : receivers_) {
    if (interval_of(receiver).count() > 0) names.push_back(receiver.outbox_name());
  }
  return names;
}

std::chrono::milliseconds ConfigRouter::repeat_interval(const std::string& receiver) const {
  for (const auto& configured : receivers_) {
    if (configured.outbox_name() == receiver) return interval_of(configured);
  }
  return std::chrono::milliseconds(0);
}

bool ConfigRouter::repeats_until_resolved(const std::string& receiver) const {
  for (const auto& configured : receivers_) {
    if (configured.outbox_name() == receiver) {
      return configured.type == config::ReceiverType::alertmanager;
    }
  }
  return false;
}

std::shared_ptr<const tickets::NotificationRouter> make_router(const config::Config& config) {
  if (config.receivers.empty()) return nullptr;
  return std::make_shared<const ConfigRouter>(config);
}

}  // namespace opr::notify
