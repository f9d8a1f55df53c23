// How many targets a host should run when several share them, and which it
// gives up or goes for: pure rules, no database, tested directly.
#pragma once

#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace opr::cluster {

// ceil(targets / live_hosts): every target has room on some host, and no
// host runs more than one more than another. `live_hosts` counts this host
// (at least 1).
std::size_t fair_share(std::size_t targets, std::size_t live_hosts);

// Of `owned` (beyond `share`), the ones to release now: never one that
// `running` says is in a run (it goes at a later renewal). The last in name
// order go first, so that hosts agree on what moves.
std::vector<std::string> targets_to_release(const std::set<std::string>& owned, std::size_t share,
                                            const std::function<bool(const std::string&)>& running);

// Of `configured`, those neither owned by this host nor leased (unexpired)
// by another, in the order this host tries to claim them: each host tries
// them in an order of its own (by a hash of host and target), so that
// hosts claiming at once mostly go for different targets.
std::vector<std::string> claim_order(const std::vector<std::string>& configured,
                                     const std::set<std::string>& owned,
                                     const std::set<std::string>& leased, const std::string& host);

}  // namespace opr::cluster
