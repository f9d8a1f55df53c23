// One configured TiKV cluster: its PD and Prometheus endpoints, the
// Prometheus credentials, and the JSON parsers its runs reuse.
#pragma once

#include <simdjson.h>
#include <operator/plugin.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "evaluation.h"
#include "pd_members.h"
#include "pd_stores.h"
#include "store_index.h"
#include "store_metric_rows.h"
#include "target_params.h"

namespace opr::tikv {

class TikvTarget {
 public:
  // Reads pd_endpoint / prometheus_url (else $PD_ENDPOINT / $PROMETHEUS_URL)
  // and the optional auth settings, and reads the credentials files once.
  // Throws sdk::ParamError naming the parameter (target_params.h has the
  // rules) when an endpoint is missing or not http(s), when auth settings
  // conflict or are incomplete, or when a credentials file cannot be read
  // or is empty.
  TikvTarget(const sdk::Host& host, const sdk::Params& params);

  const sdk::Host& host() const { return host_; }
  const std::string& pd_endpoint() const { return pd_endpoint_; }
  const std::string& prometheus_url() const { return prometheus_url_; }

  // GET /pd/api/v1/stores, with Tombstone stores when asked.
  std::string stores_url(bool include_tombstone) const;
  // GET /api/v1/query?query=<promql>.
  std::string query_url(const std::string& promql) const;
  // The Authorization header for Prometheus, if auth is configured. Reads
  // the token or password file again on every call, so that rotated
  // credentials are picked up. Throws sdk::CheckFailed if it cannot.
  std::vector<std::pair<std::string, std::string>> prometheus_headers() const;

  // Parsers reused across runs so that their buffers are not allocated and
  // faulted in again every cycle: PD's list is read as it arrives, a
  // Prometheus answer whole. The host never runs one instance on two
  // threads at once.
  PdStoreListParser& pd_parser() { return pd_parser_; }
  simdjson::ondemand::parser& prometheus_parser() { return prometheus_parser_; }

  // PD's store list as last fetched, for latency and disk_space, which only
  // map Prometheus' `instance` to stores: one PD request per cycle instead of
  // three (13.7 MB each at 10,000 stores). No lock: runs of one instance
  // never overlap.
  void remember_stores(std::shared_ptr<const StoreList> list);
  void forget_stores();
  // The remembered list if fetched less than store_list_max_age ago, else null.
  std::shared_ptr<const StoreList> recent_stores() const;
  // The status-address index of `list`, built at its first use and kept
  // with the list: every check and row joining series to the same list
  // shares one index per list instead of building one per run (~0.3 ms each
  // at 10,000 stores, ~20 of them a cycle).
  const StoreIndex& store_index(const std::shared_ptr<const StoreList>& list);

  // Which stores of `list` Prometheus scrapes (scraped_stores_query()), for
  // the family rows: kept with the list it was joined to, for at most
  // kScrapedMaxAge (and never longer than the list).
  void remember_scraped(std::shared_ptr<const StoreList> list, ScrapedStores scraped);
  // The remembered stores if joined to `list` less than kScrapedMaxAge ago,
  // else null.
  const ScrapedStores* recent_scraped(const std::shared_ptr<const StoreList>& list) const;

  // PD's member list as last fetched (pd_health fetches it every run), for
  // the PD metric checks, which only map Prometheus' `instance` to members:
  // reused while younger than store_list_max_age, as the store list is.
  void remember_members(std::shared_ptr<const PdMembers> members);
  std::shared_ptr<const PdMembers> recent_members() const;

 private:
  // prometheus_headers(), throwing ParamProblem.
  std::vector<std::pair<std::string, std::string>> read_headers() const;

  sdk::Host host_;
  std::string pd_endpoint_;
  std::string prometheus_url_;
  PrometheusAuth auth_;
  PdStoreListParser pd_parser_;
  simdjson::ondemand::parser prometheus_parser_;
  std::chrono::milliseconds store_list_max_age_;
  std::shared_ptr<const StoreList> stores_;
  // The list index_ was built from, held so that no other list can take its
  // address while the index is kept.
  std::shared_ptr<const StoreList> indexed_;
  std::optional<StoreIndex> index_;
  std::chrono::steady_clock::time_point stores_fetched_at_;
  std::shared_ptr<const StoreList> scraped_of_;
  ScrapedStores scraped_;
  std::chrono::steady_clock::time_point scraped_at_;
  std::shared_ptr<const PdMembers> members_;
  std::chrono::steady_clock::time_point members_fetched_at_;
};

}  // namespace opr::tikv
