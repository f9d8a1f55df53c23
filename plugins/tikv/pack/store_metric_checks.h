// The per-store metric family (lib/store_metric_rows.h) as checks: one
// check per row, all of one template, declared from the table.
#pragma once

#include <operator/plugin.hpp>

#include "tikv_target.h"

namespace opr::tikv {

// Declares every row of store_metric_rows() on `builder`: name,
// description, severity, grace, and the parameters threshold and (for rows
// with a window) rate_window with the row's defaults.
sdk::PackBuilder<TikvTarget>& add_store_metric_checks(sdk::PackBuilder<TikvTarget>& builder);

}  // namespace opr::tikv
