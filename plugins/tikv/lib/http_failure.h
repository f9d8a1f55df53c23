// One-line reasons for HTTP exchanges a check cannot use, naming the
// endpoint, for a failed run.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace opr::tikv {

// What the host's HTTP client answered.
struct HttpOutcome {
  bool arrived = false;    // a response arrived (any status)
  int status = 0;          // its HTTP status
  std::string_view error;  // why nothing arrived (the host's text)
  std::string_view body;
};

// nullopt when the response can be parsed (status 2xx); otherwise e.g.
//   PD GET http://pd:2379/pd/api/v1/stores failed: Connection refused
//   Prometheus GET http://prom:9090/api/v1/query?... answered HTTP 400: bad_data: parse error ...
// `source` names the service ("PD", "Prometheus"); `url` is printed with
// credentials redacted.
std::optional<std::string> http_failure(std::string_view source, std::string_view url,
                                        const HttpOutcome& outcome);

// The useful part of an error body: PD's JSON string, Prometheus'
// "errorType: error", or the first 200 bytes of anything else.
std::string error_body_detail(std::string_view body);

}  // namespace opr::tikv
