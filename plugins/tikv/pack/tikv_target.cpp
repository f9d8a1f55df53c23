#include "tikv_target.h"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "target_params.h"
#include "text.h"
#include "url.h"

namespace opr::tikv {
namespace {

std::optional<std::string> non_empty(const sdk::Params& params, const char* name) {
  auto value = params.optional_string(name);
  if (value && trim(*value).empty()) return std::nullopt;
  return value;
}

// A secret file's content without surrounding whitespace. Throws
// ParamProblem naming `param` when the file cannot be read or is empty; the
// content never appears in a message.
std::string read_secret(const std::string& path, const char* param) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw ParamProblem(param,
                       std::string("cannot read ") + param + " '" + path + "': it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int cause = errno;
    throw ParamProblem(param, std::string("cannot read ") + param + " '" + path +
                                  "': " + std::generic_category().message(cause));
  }
  std::ostringstream content;
  content << in.rdbuf();
  return secret_from(content.str(), param, path);
}

}  // namespace

TikvTarget::TikvTarget(const sdk::Host& host, const sdk::Params& params)
    : host_(host), store_list_max_age_(params.duration("store_list_max_age")) {
  try {
    pd_endpoint_ =
        choose_endpoint(params.optional_string("pd_endpoint"), std::getenv("PD_ENDPOINT"),
                        "pd_endpoint", "PD_ENDPOINT", "PD's address");
    prometheus_url_ =
        choose_endpoint(params.optional_string("prometheus_url"), std::getenv("PROMETHEUS_URL"),
                        "prometheus_url", "PROMETHEUS_URL", "Prometheus' address");
    auth_ = check_prometheus_auth({non_empty(params, "prometheus_bearer_token_file"),
                                   non_empty(params, "prometheus_username"),
                                   non_empty(params, "prometheus_password_file")});
    // Refused at create(), so that `config check` shows it, not at the first run.
    read_headers();
  } catch (const ParamProblem& e) {
    throw sdk::ParamError(e.param(), e.what());
  }
}

std::string TikvTarget::stores_url(bool include_tombstone) const {
  // PD leaves Tombstone stores out unless the states are listed (Up=0,
  // Offline=1, Tombstone=2), as pd-ctl does.
  return pd_endpoint_ +
         (include_tombstone ? "/pd/api/v1/stores?state=0&state=1&state=2" : "/pd/api/v1/stores");
}

std::string TikvTarget::query_url(const std::string& promql) const {
  return prometheus_url_ + "/api/v1/query?query=" + percent_encode(promql);
}

std::vector<std::pair<std::string, std::string>> TikvTarget::prometheus_headers() const {
  try {
    return read_headers();
  } catch (const ParamProblem& e) {
    throw sdk::CheckFailed(e.what());
  }
}

std::vector<std::pair<std::string, std::string>> TikvTarget::read_headers() const {
  if (auth_.bearer_token_file) {
    return {{"Authorization",
             "Bearer " + read_secret(*auth_.bearer_token_file, "prometheus_bearer_token_file")}};
  }
  if (auth_.username && auth_.password_file) {
    const std::string password = read_secret(*auth_.password_file, "prometheus_password_file");
    return {{"Authorization", "Basic " + base64_encode(*auth_.username + ":" + password)}};
  }
  return {};
}

void TikvTarget::remember_stores(std::shared_ptr<const StoreList> list) {
  stores_ = std::move(list);
  stores_fetched_at_ = std::chrono::steady_clock::now();
}

void TikvTarget::forget_stores() {
  stores_.reset();
  index_.reset();
  indexed_.reset();
  scraped_of_.reset();
}

const StoreIndex& TikvTarget::store_index(const std::shared_ptr<const StoreList>& list) {
  if (!index_ || indexed_ != list) {
    index_.reset();  // not two indexes alive at once
    index_.emplace(*list);
    indexed_ = list;
  }
  return *index_;
}

std::shared_ptr<const StoreList> TikvTarget::recent_stores() const {
  if (!stores_ || std::chrono::steady_clock::now() - stores_fetched_at_ >= store_list_max_age_)
    return nullptr;
  return stores_;
}

void TikvTarget::remember_scraped(std::shared_ptr<const StoreList> list, ScrapedStores scraped) {
  scraped_of_ = std::move(list);
  scraped_ = std::move(scraped);
  scraped_at_ = std::chrono::steady_clock::now();
}

const ScrapedStores* TikvTarget::recent_scraped(
    const std::shared_ptr<const StoreList>& list) const {
  if (!scraped_of_ || scraped_of_ != list ||
      std::chrono::steady_clock::now() - scraped_at_ >= kScrapedMaxAge)
    return nullptr;
  return &scraped_;
}

void TikvTarget::remember_members(std::shared_ptr<const PdMembers> members) {
  members_ = std::move(members);
  members_fetched_at_ = std::chrono::steady_clock::now();
}

std::shared_ptr<const PdMembers> TikvTarget::recent_members() const {
  if (!members_ || std::chrono::steady_clock::now() - members_fetched_at_ >= store_list_max_age_)
    return nullptr;
  return members_;
}

}  // namespace opr::tikv
