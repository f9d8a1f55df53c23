#include "packtest/canned_transport.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace opr::packtest {
namespace {

bool same_method(const std::string& a, const std::string& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::toupper(static_cast<unsigned char>(x)) ==
           std::toupper(static_cast<unsigned char>(y));
  });
}

// The URL before '?', and its query's parameters sorted.
std::pair<std::string, std::vector<std::string>> split_query(const std::string& url) {
  const size_t mark = url.find('?');
  if (mark == std::string::npos) return {url, {}};
  std::vector<std::string> parts;
  size_t start = mark + 1;
  while (start <= url.size()) {
    const size_t end = std::min(url.find('&', start), url.size());
    parts.push_back(url.substr(start, end - start));
    start = end + 1;
  }
  std::sort(parts.begin(), parts.end());
  return {url.substr(0, mark), parts};
}

}  // namespace

bool same_url(const std::string& expected, const std::string& got) {
  return expected == got || split_query(expected) == split_query(got);
}

void CannedTransport::start_run(const std::vector<CannedAnswer>& answers) {
  const std::lock_guard lock(mutex_);
  answers_ = answers;
  given_.assign(answers.size(), false);
  unexpected_.clear();
}

std::vector<std::string> CannedTransport::unexpected() const {
  const std::lock_guard lock(mutex_);
  return unexpected_;
}

std::vector<CannedAnswer> CannedTransport::unasked() const {
  const std::lock_guard lock(mutex_);
  std::vector<CannedAnswer> out;
  for (size_t i = 0; i < answers_.size(); ++i) {
    if (!given_[i]) out.push_back(answers_[i]);
  }
  return out;
}

http::Response CannedTransport::answer(const http::Request& request) {
  const std::lock_guard lock(mutex_);
  http::Response response;
  std::optional<size_t> chosen;
  for (size_t i = 0; i < answers_.size(); ++i) {
    if (!same_method(answers_[i].method, request.method) ||
        !same_url(answers_[i].url, request.url)) {
      continue;
    }
    chosen = i;
    if (!given_[i]) break;
  }
  if (chosen) {
    given_[*chosen] = true;
    const CannedAnswer& canned = answers_[*chosen];
    if (canned.error) {
      response.error = *canned.error;
      return response;
    }
    response.ok = true;
    response.status = canned.status;
    response.headers = canned.headers;
    response.body = canned.body;
    return response;
  }
  unexpected_.push_back(request.method + " " + request.url);
  // What a pack sees is a transport failure, as if nothing listened there.
  response.error =
      "plugins test: the test file has no answer for " + request.method + " " + request.url;
  return response;
}

}  // namespace opr::packtest
