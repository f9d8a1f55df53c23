#include "cluster/fair_share.h"

#include <algorithm>
#include <utility>

namespace opr::cluster {

std::size_t fair_share(std::size_t targets, std::size_t live_hosts) {
  const std::size_t hosts = std::max<std::size_t>(live_hosts, 1);
  return (targets + hosts - 1) / hosts;
}

std::vector<std::string> targets_to_release(
    const std::set<std::string>& owned, std::size_t share,
    const std::function<bool(const std::string&)>& running) {
  std::vector<std::string> release;
  if (owned.size() <= share) return release;
  std::size_t extra = owned.size() - share;
  for (auto it = owned.rbegin(); it != owned.rend() && extra > 0; ++it) {
    if (running(*it)) continue;
    release.push_back(*it);
    --extra;
  }
  return release;
}

std::vector<std::string> claim_order(const std::vector<std::string>& configured,
                                     const std::set<std::string>& owned,
                                     const std::set<std::string>& leased, const std::string& host) {
  std::vector<std::pair<std::size_t, std::string>> ranked;
  for (const auto& target : configured) {
    if (owned.count(target) || leased.count(target)) continue;
    ranked.emplace_back(std::hash<std::string>{}(host + "/" + target), target);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> order;
  order.reserve(ranked.size());
  for (auto& [rank, target] : ranked) order.push_back(std::move(target));
  return order;
}

}  // namespace opr::cluster
