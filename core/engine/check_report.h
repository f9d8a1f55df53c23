// What one run of one check found, as `--once` reports it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/severity.h"
#include "common/time_format.h"
#include "plugins/pack_instance.h"

namespace opr::engine {

struct CheckReport {
  struct Violation {
    std::string subject;
    std::string message;
    Severity severity = Severity::warning;
    // Set while the violation is inside its grace (no ticket yet): when
    // the grace ends.
    std::optional<TimePoint> in_grace_until;
  };
  std::string target;
  std::string check;
  bool ok = false;
  std::string error;  // why it failed (when !ok)
  // The dependency the failure counts for (ABI 1.3), e.g.
  // "pd:http://pd:2379"; "" when none was named.
  std::string cause;
  std::vector<Violation> violations;             // as reported, before grace
  std::vector<plugins::UnknownSubject> unknown;  // subjects the run could not see
  std::chrono::milliseconds duration{0};
};

}  // namespace opr::engine
