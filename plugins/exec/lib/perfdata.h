// Nagios performance data, as the Monitoring Plugins Development Guidelines
// write it: space-separated items 'label'=value[UOM];[warn];[crit];[min];[max],
// the label quoted when it holds spaces or '=' (a quote inside doubled),
// trailing empty fields left out, value "U" when it could not be measured.
// A malformed item is skipped with a note saying which and why; nothing in
// the text can make the parser fail as a whole.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "outcome.h"

namespace opr::exec {

struct Perfdatum {
  std::string label;
  std::optional<double> value;  // nullopt: "U" (undetermined)
  std::string unit;             // s, ms, us, %, B, KB, MB, GB, TB, c, or another word
  std::string warn;             // a range as written ("10", "10:", "~:5", "@10:20"), or ""
  std::string crit;
  std::optional<double> min;
  std::optional<double> max;
};

struct PerfdataReading {
  std::vector<Perfdatum> items;
  std::vector<std::string> notes;  // one per skipped item: "'x=1;;;;;;': too many fields"
};

PerfdataReading parse_perfdata(std::string_view text);

// The facts of `items`: LABEL (the value: a number, or the text "U"), and
// LABEL.unit, LABEL.warn, LABEL.crit, LABEL.min, LABEL.max when given.
std::vector<Fact> perfdata_facts(const std::vector<Perfdatum>& items);

}  // namespace opr::exec
