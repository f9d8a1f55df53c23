// `--once --record DIR`: every HTTP exchange of a run kept as it happened,
// and written with the run's outcome as a `plugins test` file, credentials
// removed, so that an incident's answers become a regression test.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/pack_declaration.h"
#include "config/config.h"
#include "http/client.h"
#include "plugins/pack_instance.h"

namespace opr::packtest {

struct Exchange {
  std::string method;
  std::string url;                   // passwords masked
  std::optional<std::string> error;  // no response arrived
  int status = 0;
  http::Headers headers;  // the ones worth keeping (kept_header)
  std::string body;
};

// Sends requests through a real client and keeps each exchange.
class RecordingTransport {
 public:
  http::Response answer(const http::Request& request);
  // The exchanges since the last call, in order.
  std::vector<Exchange> take();

 private:
  http::Client client_;
  std::mutex mutex_;
  std::vector<Exchange> exchanges_;
};

// Whether a response header goes into a recorded file: what a pack may read
// (content type, location, retry-after, ...), never cookies or credentials,
// nor what describes the transfer (length, encoding, date).
bool kept_header(const std::string& name);

struct RecordedRun {
  const PackDeclaration& pack;
  const config::TargetConfig& target;
  const config::CheckConfig& check;
  const plugins::RunResult& result;
  std::vector<Exchange> exchanges;
};

// Writes `file` (and large bodies beside it, FILE-STEM.N.body). Throws
// std::runtime_error when it cannot.
void write_recorded_test(const std::filesystem::path& file, const RecordedRun& run);

}  // namespace opr::packtest
