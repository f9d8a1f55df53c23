// `--once --record DIR` and POST /-/record: every HTTP exchange of a run
// kept as it happened, and written with the run's outcome as a `plugins
// test` file, credentials removed, so that an incident's answers become a
// regression test. Multi-line text bodies are written as YAML block
// scalars, which a person can read and which give back the same bytes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/pack_declaration.h"
#include "config/config.h"
#include "http/exchange.h"
#include "plugins/pack_instance.h"

namespace opr::packtest {

// A recorded exchange (http/exchange.h): kept by the run that made it,
// in this process or in a runner.
using Exchange = http::Exchange;

struct RecordedRun {
  const PackDeclaration& pack;
  const config::TargetConfig& target;
  const config::CheckConfig& check;
  const plugins::RunResult& result;
  std::vector<Exchange> exchanges;
};

// How `body` is written inline: as a block scalar's header ("|", "|-" or
// "|+", the chomping that gives back its trailing line breaks exactly), or
// nullopt when it must stay a quoted string (one line; control characters,
// carriage returns or invalid UTF-8; blanks at the start of its first line
// or at the end of any line, which a block scalar would lose or an editor
// strip).
std::optional<std::string> block_scalar_header(const std::string& body);

// Writes `file` (and large bodies beside it, FILE-STEM.N.body). Throws
// std::runtime_error when it cannot.
void write_recorded_test(const std::filesystem::path& file, const RecordedRun& run);

}  // namespace opr::packtest
