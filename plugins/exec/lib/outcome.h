// What a program's output says, in the pack's own terms: the pack turns it
// into reports, unknown subjects and a failure through the ABI.
#pragma once

#include <string>
#include <vector>

namespace opr::exec {

// A fact for a ticket's metric snapshot: `value` is a JSON number literal
// when `is_number`, else text.
struct Fact {
  std::string key;
  std::string value;
  bool is_number = false;
};

// The severities a program may give (plugin.h's op_severity values); kDefault
// leaves the check's configured one.
enum class Level { kDefault = 0, kInfo = 1, kWarning = 2, kCritical = 3 };

struct Finding {
  std::string subject;  // "" for the whole target
  std::string message;
  Level level = Level::kDefault;
  std::vector<Fact> facts;
};

struct Unknown {
  std::string subject;
  std::string reason;
};

// One run's reading. `failure` non-empty: the run failed (nothing else counts).
struct Outcome {
  std::vector<Finding> findings;
  std::vector<Unknown> unknown;
  std::vector<Fact> run_facts;  // about the run as a whole
  std::string failure;
};

}  // namespace opr::exec
