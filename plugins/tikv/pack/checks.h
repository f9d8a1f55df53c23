// The pack's hand-written checks, one class each, and what they share with
// the metric family (store_metric_checks.h); README.md has the rules.
#pragma once

#include <operator/plugin.hpp>

#include <vector>

#include "evaluation.h"
#include "tikv_target.h"

namespace opr::tikv {

// Reports each violation with its facts and its own severity.
void report(sdk::Run& run, const std::vector<Violation>& violations);

// Every store PD lists whose state_name is not Up.
class StoreUpCheck : public sdk::Check<TikvTarget> {
 public:
  void run(TikvTarget& target, sdk::Run& run) override;
};

// PD's members healthy, a leader, a quorum (pd_health_check.cpp).
class PdHealthCheck : public sdk::Check<TikvTarget> {
 public:
  void run(TikvTarget& target, sdk::Run& run) override;
};

// Per-store PD slow score at or above threshold (PD's store list, shared).
class StoreSlowCheck : public sdk::Check<TikvTarget> {
 public:
  void run(TikvTarget& target, sdk::Run& run) override;
};

// Per-store gRPC latency quantile above threshold_ms.
class LatencyCheck : public sdk::Check<TikvTarget> {
 public:
  void run(TikvTarget& target, sdk::Run& run) override;
};

// Per-store disk usage above threshold_percent.
class DiskSpaceCheck : public sdk::Check<TikvTarget> {
 public:
  void run(TikvTarget& target, sdk::Run& run) override;
};

// What every Prometheus-based check ends with: the run facts, then a failed
// run when no store could be evaluated, else each unknown store (with one
// warning for all of them) and the violations.
void conclude(const TikvTarget& target, sdk::Run& run, const char* check,
              const MetricEvaluation& result);

}  // namespace opr::tikv
