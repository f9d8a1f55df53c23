// The TiKV pack's table-driven checks (plugins/tikv/lib/store_metric_rows.h,
// pd_metric_rows.h) in test configs: tests of other checks turn them off.
#pragma once

#include <string>

namespace opr::test {

// `target` (a target's YAML after "- name: t\n") with every check of the
// per-store metric family, and every PD metric check (pd_metric_rows.h),
// `enabled: false`, listed first in its `checks:` section (block or flow
// style; a block section is added when it has none). Each of the two sets
// is left on when `target` names any check of it.
std::string with_metric_family_off(const std::string& target);

}  // namespace opr::test
