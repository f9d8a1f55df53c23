// The TiKV pack's per-store metric family (plugins/tikv/lib/store_metric_rows.h)
// in test configs: tests of other checks turn it off.
#pragma once

#include <string>

namespace opr::test {

// `target` (a target's YAML after "- name: t\n") with every check of the
// metric family `enabled: false`, listed first in its `checks:` section
// (block or flow style; a block section is added when it has none);
// unchanged when it names any family check.
std::string with_metric_family_off(const std::string& target);

}  // namespace opr::test
