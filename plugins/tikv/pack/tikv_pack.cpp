// The pack's declaration: its parameters and checks, in one table that the
// host validates configs against and `plugins list` prints. Numeric bounds
// live here only: the host refuses a value outside them before anything
// runs, so the checks never test them again.
#include <operator/plugin.hpp>

#include "checks.h"
#include "pd_metric_checks.h"
#include "store_metric_checks.h"
#include "tikv_target.h"

namespace opr::tikv {
namespace {

using sdk::CheckSpec;
using sdk::ParamSpec;

const sdk::Pack<TikvTarget>& tikv_pack() {
  static const sdk::Pack<TikvTarget> pack =
      add_pd_metric_checks(
          add_store_metric_checks(
              sdk::PackBuilder<TikvTarget>(
                  "tikv", "1.0.0", "TiKV cluster health from PD's store list and Prometheus")
                  .param({.name = "pd_endpoint",
                          .doc = "PD's HTTP address, e.g. http://pd:2379 (default: $PD_ENDPOINT)"})
                  .param({.name = "prometheus_url",
                          .doc = "Prometheus scraping TiKV, e.g. http://prometheus:9090 "
                                 "(default: $PROMETHEUS_URL)"})
                  .param({.name = "prometheus_bearer_token_file",
                          .doc = "file holding a bearer token for Prometheus, read at every run"})
                  .param({.name = "prometheus_username",
                          .doc = "basic-auth user for Prometheus (with prometheus_password_file)"})
                  .param({.name = "prometheus_password_file",
                          .doc = "file holding the basic-auth password, read at every run"})
                  .param(
                      {.name = "store_list_max_age",
                       .type = OP_PARAM_DURATION,
                       .default_value = "30s",
                       .doc =
                           "the per-store checks reuse PD's store list up to this old (0s: never)",
                       .min_value = "0s"})
                  .check<StoreUpCheck>(CheckSpec{
                      .name = "store_up",
                      .description = "every TiKV store PD lists is Up",
                      .severity = OP_SEVERITY_CRITICAL,
                      .params = {{.name = "include_tombstone",
                                  .type = OP_PARAM_BOOL,
                                  .default_value = "false",
                                  .doc = "also list Tombstone (removed) stores, and report them"},
                                 {.name = "offline_severity",
                                  .default_value = "warning",
                                  .doc = "severity of an Offline store (being removed on purpose): "
                                         "info, warning or critical"}}})
                  .check<LatencyCheck>(CheckSpec{
                      .name = "latency",
                      .description = "per-store gRPC latency quantile stays under threshold_ms",
                      .severity = OP_SEVERITY_WARNING,
                      .grace = std::chrono::seconds(60),
                      .params =
                          {{.name = "quantile",
                            .type = OP_PARAM_FLOAT,
                            .default_value = "0.99",
                            .doc = "quantile of tikv_grpc_msg_duration_seconds, "
                                   "strictly between 0 and 1",
                            .min_value = "0",
                            .max_value = "1",
                            .min_exclusive = true,
                            .max_exclusive = true},
                           {.name = "rate_window",
                            .type = OP_PARAM_DURATION,
                            .default_value = "1m",
                            .doc = "range of rate() in the PromQL query",
                            .min_value = "0s",
                            .min_exclusive = true},
                           {.name = "threshold_ms",
                            .type = OP_PARAM_FLOAT,
                            .default_value = "100",
                            .doc = "violation when the quantile is strictly above this",
                            .min_value = "0"},
                           {.name = "recording_rule",
                            .doc = "a recording rule holding sum by (le, instance) (rate("
                                   "tikv_grpc_msg_duration_seconds_bucket{type!=\"kv_gc\"}[W])), "
                                   "queried instead of the raw buckets (rate_window then only "
                                   "names W in messages)"}}})
                  .check<DiskSpaceCheck>(CheckSpec{
                      .name = "disk_space",
                      .description = "per-store used disk share stays under threshold_percent",
                      .severity = OP_SEVERITY_WARNING,
                      .params = {{.name = "threshold_percent",
                                  .type = OP_PARAM_FLOAT,
                                  .default_value = "70",
                                  .doc = "violation when (capacity - available) / capacity is "
                                         "strictly above this percentage",
                                  .min_value = "0",
                                  .max_value = "100"}}})
                  .check<PdHealthCheck>(CheckSpec{
                      .name = "pd_health",
                      .description =
                          "every PD member is healthy, PD has a leader and a healthy quorum",
                      .severity = OP_SEVERITY_CRITICAL})
                  .check<StoreSlowCheck>(CheckSpec{
                      .name = "store_slow",
                      .description =
                          "no TiKV store is slow by PD's slow score (PD_cluster_slow_tikv_nums)",
                      .severity = OP_SEVERITY_CRITICAL,
                      .grace = std::chrono::seconds(60),
                      .params =
                          {{.name = "threshold",
                            .type = OP_PARAM_INT,
                            .default_value = "80",
                            .doc = "violation when a store's slow score (1 healthy, 100 slowest) "
                                   "is at least this; PD counts a store as slow from 80",
                            .min_value = "1",
                            .max_value = "100"}}})))
          .build();
  return pack;
}

}  // namespace
}  // namespace opr::tikv

OPR_EXPORT_PACK(opr::tikv::tikv_pack)
