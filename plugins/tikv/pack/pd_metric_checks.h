// The PD-side metric checks (lib/pd_metric_rows.h) as checks: one check per
// row, all of one template, declared from the table.
#pragma once

#include <operator/plugin.hpp>

#include "tikv_target.h"

namespace opr::tikv {

// Declares every row of pd_metric_rows() on `builder`: name, description,
// severity, grace, a threshold parameter per condition and a parameter per
// window, with the row's defaults.
sdk::PackBuilder<TikvTarget>& add_pd_metric_checks(sdk::PackBuilder<TikvTarget>& builder);

}  // namespace opr::tikv
