// Recording a cycle of the monitor (POST /-/record, `--once --record`): the
// next run of every enabled check, each on a pack instance of its own with
// its HTTP exchanges kept, handed to a sink that writes them as `plugins
// test` files. The runs count as usual: their tickets are written.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/pack_declaration.h"
#include "config/config.h"
#include "http/exchange.h"
#include "plugins/pack_instance.h"

namespace opr::engine {

// One check's recorded run. Valid for the call to the sink only.
struct RecordedCheck {
  const config::TargetConfig& target;
  const config::CheckConfig& check;
  const PackDeclaration& pack;
  const plugins::RunResult& result;
  std::vector<http::Exchange> exchanges;  // in the order they ended
  // Set: why there is nothing to write (the instance for the recording was
  // refused, the run timed out, the monitor stopped); `result` and
  // `exchanges` are then incomplete.
  std::optional<std::string> not_recorded;
};

// Called on the engine's thread.
struct RecordSink {
  // Once per check armed, when its run ends (or cannot be recorded).
  std::function<void(const RecordedCheck&)> recorded;
  // Once, when every armed check was handed over, or the recording was
  // dropped: `never_ran` ("target/check") were armed and did not run (a
  // reload removed them, the monitor stopped).
  std::function<void(const std::vector<std::string>& never_ran)> finished;
};

}  // namespace opr::engine
