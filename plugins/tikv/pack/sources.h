// The two requests a check makes: PD's store list and one PromQL query.
// Each is one HTTP request through the host, parsed in place, and throws
// sdk::CheckFailed naming the endpoint when the answer cannot be used.
#pragma once

#include <operator/plugin.hpp>

#include <string>
#include <vector>

#include "pd_stores.h"
#include "prom_vector.h"
#include "tikv_target.h"

namespace opr::tikv {

StoreList fetch_stores(TikvTarget& target, sdk::Run& run, bool include_tombstone);

std::vector<Sample> query_prometheus(TikvTarget& target, sdk::Run& run, const std::string& promql);

}  // namespace opr::tikv
