// The network of a `plugins test` run: each request answered from the run's
// canned answers; the requests the file does not expect, and the answers
// no request asked for, kept to be reported.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "http/client.h"
#include "packtest/test_file.h"

namespace opr::packtest {

// Whether `got` is `expected`, or the same URL with its query parameters in
// another order.
bool same_url(const std::string& expected, const std::string& got);

class CannedTransport {
 public:
  // The answers of the next run; forgets the requests of the last one.
  void start_run(const std::vector<CannedAnswer>& answers);
  // "METHOD URL" of each request the run made that no answer matched.
  std::vector<std::string> unexpected() const;
  // The answers of the run that no request asked for, in file order.
  std::vector<CannedAnswer> unasked() const;
  // The first answer with the request's method and URL not given yet; once
  // all are, the last of them again. So a recorded run that asked twice
  // gets its two answers in order.
  http::Response answer(const http::Request& request);

 private:
  mutable std::mutex mutex_;
  std::vector<CannedAnswer> answers_;
  std::vector<bool> given_;  // per answer
  std::vector<std::string> unexpected_;
};

}  // namespace opr::packtest
