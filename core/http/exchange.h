// An HTTP exchange as a recording keeps it (`--record`, POST /-/record):
// what was asked and what came back, with credentials left out, so that it
// can be written to a `plugins test` file and replayed.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "http/client.h"

namespace opr::http {

struct Exchange {
  std::string method;
  std::string url;                   // passwords and secret query values masked
  std::optional<std::string> error;  // no response arrived
  int status = 0;
  Headers headers;   // the ones worth keeping (kept_header)
  std::string body;  // whole, even when the pack streamed it
};

// Whether a response header goes into a recording: what a pack may read
// (content type, location, retry-after, ...), never cookies or credentials,
// nor what describes the transfer (length, encoding, date). Request headers
// are never kept (Authorization among them).
bool kept_header(const std::string& name);

// `request` and its `response` as a recording keeps them; `body` is the
// whole body the pack got (a streamed one is not in `response`).
Exchange recorded_exchange(const Request& request, const Response& response, std::string body);

// The exchanges of one run, in the order they ended. Thread-safe: a pack
// may make requests from several threads.
class ExchangeLog {
 public:
  void add(Exchange exchange);
  std::vector<Exchange> take();
  // The exchanges could not all be kept (`why`): the run is not recorded.
  void give_up(std::string why);
  std::optional<std::string> given_up();

 private:
  std::mutex mutex_;
  std::vector<Exchange> exchanges_;
  std::optional<std::string> given_up_;
};

}  // namespace opr::http
