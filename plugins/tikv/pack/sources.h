// The two requests a check makes: PD's store list and one PromQL query.
// Each is one HTTP request through the host (PD's list parsed as it
// arrives, a query's answer in place once whole), and throws
// sdk::CheckFailed naming the endpoint when the answer cannot be used, with
// the service as its cause (pd_cause(), prometheus_cause()): every check
// that fails because PD or Prometheus does shares one ticket.
#pragma once

#include <operator/plugin.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pd_members.h"
#include "pd_stores.h"
#include "prom_vector.h"
#include "tikv_target.h"

namespace opr::tikv {

// The causes of failed runs (ABI 1.3 run_fail_cause): "pd:<pd_endpoint>"
// and "prometheus:<prometheus_url>", credentials redacted.
std::string pd_cause(const TikvTarget& target);
std::string prometheus_cause(const TikvTarget& target);

// Always asks PD, and remembers the list in `target` for recent_stores().
// A list without stores fails the run (no_stores_failure()).
std::shared_ptr<const StoreList> fetch_stores(TikvTarget& target, sdk::Run& run,
                                              bool include_tombstone);

// The list the target fetched less than store_list_max_age ago (with
// Tombstone stores if store_up asked for them: the evaluations skip them),
// else a new one without Tombstone stores.
std::shared_ptr<const StoreList> recent_stores(TikvTarget& target, sdk::Run& run);

// GET `path` of PD's API (e.g. "/pd/api/v1/health") whole, with
// `headers`: for PD's small answers. Throws sdk::CheckFailed naming the
// request when no 2xx answer arrived (http_failure()).
sdk::HttpResponse get_pd(const TikvTarget& target, sdk::Run& run, const std::string& path,
                         std::vector<std::pair<std::string, std::string>> headers = {});

// GET /pd/api/v1/members with PD-Allow-follower-handle (so that a PD
// without a leader still answers), parsed; remembered in `target` for
// recent_members(). Throws sdk::CheckFailed naming the request when the
// answer cannot be used.
std::shared_ptr<const PdMembers> fetch_members(TikvTarget& target, sdk::Run& run);

// The member list the target fetched less than store_list_max_age ago
// (pd_health fetches it every run), else a new one.
std::shared_ptr<const PdMembers> recent_members(TikvTarget& target, sdk::Run& run);

// The header that lets the PD member asked answer itself instead of
// forwarding to a leader it may not have.
std::vector<std::pair<std::string, std::string>> follower_may_answer();

// The stores of `list` Prometheus scrapes: asked with
// scraped_stores_query() unless the target joined them to `list` less than
// kScrapedMaxAge ago. Throws sdk::CheckFailed as query_prometheus().
const ScrapedStores& scraped_stores(TikvTarget& target, sdk::Run& run,
                                    const std::shared_ptr<const StoreList>& list);

std::vector<Sample> query_prometheus(TikvTarget& target, sdk::Run& run, const std::string& promql);

}  // namespace opr::tikv
