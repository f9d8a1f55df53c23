#include "tikv_target.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "text.h"
#include "url.h"

namespace opr::tikv {
namespace {

// The parameter if set, else the environment variable, else an error that
// tells the user both ways to set it.
std::string endpoint(const sdk::Params& params, const char* param, const char* variable,
                     const char* what) {
  std::optional<std::string> value = params.optional_string(param);
  if (!value || trim(*value).empty()) {
    const char* env = std::getenv(variable);
    if (env != nullptr && !trim(env).empty()) value = env;
  }
  if (!value || trim(*value).empty()) {
    throw std::runtime_error(std::string("the tikv pack needs ") + what + ": set the parameter '" +
                             param + "' or the environment variable " + variable);
  }
  return normalize_base_url(*value, std::string("'") + param + "' (or " + variable + ")");
}

std::optional<std::string> non_empty(const sdk::Params& params, const char* name) {
  auto value = params.optional_string(name);
  if (value && trim(*value).empty()) return std::nullopt;
  return value;
}

// A secret file's content without surrounding whitespace. The content never
// appears in a message.
std::string read_secret(const std::string& path, const char* param) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw sdk::CheckFailed(std::string("cannot read ") + param + " '" + path + "'");
  std::ostringstream content;
  content << in.rdbuf();
  std::string secret = trim(content.str());
  if (secret.empty()) throw sdk::CheckFailed(std::string(param) + " '" + path + "' is empty");
  return secret;
}

}  // namespace

TikvTarget::TikvTarget(const sdk::Host& host, const sdk::Params& params)
    : host_(host),
      pd_endpoint_(endpoint(params, "pd_endpoint", "PD_ENDPOINT", "PD's address")),
      prometheus_url_(endpoint(params, "prometheus_url", "PROMETHEUS_URL", "Prometheus' address")),
      bearer_token_file_(non_empty(params, "prometheus_bearer_token_file")),
      username_(non_empty(params, "prometheus_username")),
      password_file_(non_empty(params, "prometheus_password_file")),
      store_list_max_age_(params.duration("store_list_max_age")) {
  if (store_list_max_age_.count() < 0)
    throw std::runtime_error("store_list_max_age must not be negative");
  if (bearer_token_file_ && (username_ || password_file_)) {
    throw std::runtime_error(
        "set either prometheus_bearer_token_file or prometheus_username with "
        "prometheus_password_file, not both");
  }
  if (username_.has_value() != password_file_.has_value()) {
    throw std::runtime_error(
        "basic auth needs both prometheus_username and prometheus_password_file");
  }
  // Fail at start-up, not at the first run, when a file is missing.
  prometheus_headers();
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
  if (bearer_token_file_) {
    return {{"Authorization",
             "Bearer " + read_secret(*bearer_token_file_, "prometheus_bearer_token_file")}};
  }
  if (username_ && password_file_) {
    const std::string password = read_secret(*password_file_, "prometheus_password_file");
    return {{"Authorization", "Basic " + base64_encode(*username_ + ":" + password)}};
  }
  return {};
}

void TikvTarget::remember_stores(std::shared_ptr<const StoreList> list) {
  stores_ = std::move(list);
  stores_fetched_at_ = std::chrono::steady_clock::now();
}

std::shared_ptr<const StoreList> TikvTarget::recent_stores() const {
  if (!stores_ || std::chrono::steady_clock::now() - stores_fetched_at_ >= store_list_max_age_)
    return nullptr;
  return stores_;
}

}  // namespace opr::tikv
