// How the simulator fills TiKV's tikv_grpc_msg_duration_seconds buckets so
// that Prometheus' histogram_quantile(0.99, ...) gives back the configured p99.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace opr::sim {

// exponential_buckets(5e-5, 2.0, 22), spelled as TiKV's /metrics spells them.
inline constexpr std::size_t kFiniteBuckets = 22;
extern const std::array<std::string_view, kFiniteBuckets> kBucketLabels;
double bucket_bound(std::size_t index);  // kBucketLabels[index] as Prometheus parses it

// The p99 values a histogram of these buckets can express (milliseconds):
// above the first bound (0.05 ms) and up to the last one (104857.6 ms).
inline constexpr double kMinP99Ms = 0.05;  // exclusive
inline constexpr double kMaxP99Ms = 104857.6;
bool p99_expressible(double p99_ms);

// Observations added per "tick" of simulated traffic, bucket by bucket (not
// cumulative); index kFiniteBuckets holds those above the last bound, which
// only +Inf counts. Every counter of a series is a whole multiple of these,
// so rate() keeps their ratios exactly and histogram_quantile() interpolates
// to the configured p99 whatever window or scrape timing Prometheus uses.
struct TickDistribution {
  std::array<std::uint64_t, kFiniteBuckets + 1> per_bucket{};
  std::uint64_t total = 0;
  double sum_seconds = 0;  // what the observations of one tick add to _sum
};

// The distribution whose interpolated 0.99 quantile is just below p99_ms:
// below by less than 0.1 % of the width of the bucket holding it, never
// above, so a threshold equal to the configured p99 does not fire.
TickDistribution distribution_for_p99(double p99_ms);

// Bucket bounds start * 2^i for i < count: Go's ExponentialBuckets(start, 2,
// count), as PD and etcd declare theirs (count at most kFiniteBuckets). The
// bounds are exact: doubling a double commutes with rounding, so start * 2^i
// is the double nearest the decimal that the `le` label spells.
struct ExponentialBuckets {
  double start = 0;
  std::size_t count = 0;
  double bound(std::size_t i) const;
  // What a 0.99 quantile of these buckets can express: above the first
  // bound and up to the last one.
  bool expressible(double value) const;
};

// TiKV's exponential_buckets(5e-5, 2, 22) in seconds: bound(i) equals
// bucket_bound(i).
inline constexpr ExponentialBuckets kTikvBuckets{5e-5, kFiniteBuckets};

// distribution_for_p99 for another quantile (0 < quantile < 1, e.g. 0.999
// for a P99.9) and other buckets: the interpolated `quantile` is just below
// `value`, never above. per_bucket[count] holds what only +Inf counts;
// `value` is in the buckets' unit and must be expressible.
TickDistribution distribution_for_quantile(double quantile, double value,
                                           const ExponentialBuckets& buckets);

}  // namespace opr::sim
