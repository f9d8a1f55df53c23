#include "sources.h"

#include <utility>

#include "http_failure.h"
#include "url.h"

namespace opr::tikv {
namespace {

HttpOutcome outcome_of(const sdk::HttpResponse& response) {
  return {response.ok(), response.status(), response.error(), response.body()};
}

}  // namespace

std::string pd_cause(const TikvTarget& target) { return "pd:" + redact_url(target.pd_endpoint()); }

std::string prometheus_cause(const TikvTarget& target) {
  return "prometheus:" + redact_url(target.prometheus_url());
}

std::shared_ptr<const StoreList> fetch_stores(TikvTarget& target, sdk::Run& run,
                                              bool include_tombstone) {
  // Not two lists alive at once while the new one is parsed (~4 MB each at
  // 10,000 stores); a failed fetch leaves nothing stale to reuse either.
  target.forget_stores();
  const std::string url = target.stores_url(include_tombstone);
  // The list is parsed as it arrives: at 10,000 stores the body is 13.7 MB,
  // which is then never held whole (nor faulted into fresh memory each cycle).
  PdStoreListParser& parser = target.pd_parser();
  // However the run ends, no half-read list stays in the parser until the
  // next run (after a success finish() has emptied it already).
  struct ResetOnExit {
    PdStoreListParser& parser;
    ~ResetOnExit() { parser.reset(); }
  } reset_on_exit{parser};
  sdk::HttpRequest request;
  request.url = url;
  std::shared_ptr<const StoreList> list;
  try {
    const sdk::HttpResponse response =
        run.http_stream(request, [&parser](std::string_view piece) { parser.feed(piece); });
    if (auto failure = http_failure("PD", url, outcome_of(response)))
      throw sdk::CheckFailed(*failure, pd_cause(target));
    list = std::make_shared<const StoreList>(parser.finish());
  } catch (const ResponseError& e) {
    throw sdk::CheckFailed("PD GET " + redact_url(url) + " gave an unusable answer: " + e.what(),
                           pd_cause(target));
  }
  if (auto failure = no_stores_failure(*list, redact_url(url))) {
    throw sdk::CheckFailed(*failure, pd_cause(target));
  }
  target.remember_stores(list);
  return list;
}

std::shared_ptr<const StoreList> recent_stores(TikvTarget& target, sdk::Run& run) {
  std::shared_ptr<const StoreList> list = target.recent_stores();
  return list ? list : fetch_stores(target, run, false);
}

sdk::HttpResponse get_pd(const TikvTarget& target, sdk::Run& run, const std::string& path,
                         std::vector<std::pair<std::string, std::string>> headers) {
  sdk::HttpRequest request;
  request.url = target.pd_endpoint() + path;
  request.headers = std::move(headers);
  sdk::HttpResponse response = run.http(request);
  if (auto failure = http_failure("PD", request.url, outcome_of(response)))
    throw sdk::CheckFailed(*failure, pd_cause(target));
  return response;
}

std::vector<std::pair<std::string, std::string>> follower_may_answer() {
  // Without it a follower forwards the request to the leader, and while PD
  // has none it answers 503 "no leader" (pkg/utils/apiutil/serverapi
  // redirector): with it the member asked answers itself.
  return {{"PD-Allow-follower-handle", "true"}};
}

std::shared_ptr<const PdMembers> fetch_members(TikvTarget& target, sdk::Run& run) {
  constexpr const char* kMembersPath = "/pd/api/v1/members";
  // A failed fetch leaves nothing stale to reuse.
  target.remember_members(nullptr);
  const sdk::HttpResponse response = get_pd(target, run, kMembersPath, follower_may_answer());
  std::shared_ptr<const PdMembers> members;
  try {
    // A few hundred bytes per member: read whole, in the host's padded buffer.
    simdjson::ondemand::parser parser;
    members = std::make_shared<const PdMembers>(
        parse_pd_members(parser, response.body(), OP_HTTP_BODY_PADDING));
  } catch (const ResponseError& e) {
    throw sdk::CheckFailed("PD GET " + redact_url(target.pd_endpoint() + kMembersPath) +
                               " gave an unusable answer: " + e.what(),
                           pd_cause(target));
  }
  target.remember_members(members);
  return members;
}

std::shared_ptr<const PdMembers> recent_members(TikvTarget& target, sdk::Run& run) {
  std::shared_ptr<const PdMembers> members = target.recent_members();
  return members ? members : fetch_members(target, run);
}

std::vector<Sample> query_prometheus(TikvTarget& target, sdk::Run& run, const std::string& promql) {
  sdk::HttpRequest request;
  request.url = target.query_url(promql);
  request.headers = target.prometheus_headers();
  target.host().debug("GET " + redact_url(target.prometheus_url()) + "/api/v1/query: " + promql);
  const sdk::HttpResponse response = run.http(request);
  // The query string is long and percent-encoded: name the endpoint only.
  const std::string endpoint = target.prometheus_url() + "/api/v1/query";
  if (auto failure = http_failure("Prometheus", endpoint, outcome_of(response))) {
    throw sdk::CheckFailed(*failure, prometheus_cause(target));
  }
  try {
    return parse_prom_vector(target.prometheus_parser(), response.body(), OP_HTTP_BODY_PADDING);
  } catch (const QueryError& e) {
    // The check's own query was refused: no cause, the check's own ticket.
    throw sdk::CheckFailed("Prometheus GET " + redact_url(endpoint) + " refused the query (" +
                           e.error_type() + "): " + e.error());
  } catch (const ResponseError& e) {
    throw sdk::CheckFailed(
        "Prometheus GET " + redact_url(endpoint) + " gave an unusable answer: " + e.what(),
        prometheus_cause(target));
  }
}

const ScrapedStores& scraped_stores(TikvTarget& target, sdk::Run& run,
                                    const std::shared_ptr<const StoreList>& list) {
  if (const ScrapedStores* recent = target.recent_scraped(list)) return *recent;
  const std::vector<Sample> samples = query_prometheus(target, run, scraped_stores_query());
  target.remember_scraped(list, join_scraped(*list, target.store_index(list), samples));
  return *target.recent_scraped(list);
}

}  // namespace opr::tikv
