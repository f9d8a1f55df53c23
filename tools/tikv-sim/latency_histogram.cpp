#include "latency_histogram.h"

#include <cmath>
#include <string>

namespace opr::sim {

const std::array<std::string_view, kFiniteBuckets> kBucketLabels = {
    "0.00005", "0.0001", "0.0002",  "0.0004",  "0.0008",  "0.0016",  "0.0032", "0.0064",
    "0.0128",  "0.0256", "0.0512",  "0.1024",  "0.2048",  "0.4096",  "0.8192", "1.6384",
    "3.2768",  "6.5536", "13.1072", "26.2144", "52.4288", "104.8576"};

double bucket_bound(std::size_t index) { return std::stod(std::string(kBucketLabels[index])); }

bool p99_expressible(double p99_ms) {
  return std::isfinite(p99_ms) && p99_ms > kMinP99Ms && p99_ms <= kMaxP99Ms;
}

namespace {

// Per tick, for a quantile q: the share q of the observations at or below the
// rank, in and under the bucket holding the quantile; kInBucket of them inside
// that bucket, so that the rank's position in it (what histogram_quantile
// interpolates) is tail / kInBucket; the remaining share 1 - q above the rank.
// kInBucket is that remaining share, so a tick holds kInBucket / (1 - q)
// observations (100,000 for the p99, 1,000,000 for a P99.9).
constexpr std::uint64_t kInBucket = 1000;

double representative(const ExponentialBuckets& buckets, std::size_t bucket) {
  if (bucket == buckets.count) return 1.5 * buckets.bound(buckets.count - 1);
  const double low = bucket == 0 ? 0.0 : buckets.bound(bucket - 1);
  return (low + buckets.bound(bucket)) / 2;
}

}  // namespace

double ExponentialBuckets::bound(std::size_t i) const {
  return std::ldexp(start, static_cast<int>(i));
}

bool ExponentialBuckets::expressible(double value) const {
  return std::isfinite(value) && value > start && value <= bound(count - 1);
}

TickDistribution distribution_for_p99(double p99_ms) {
  return distribution_for_quantile(0.99, p99_ms / 1000.0, kTikvBuckets);
}

TickDistribution distribution_for_quantile(double quantile, double target,
                                           const ExponentialBuckets& buckets) {
  const auto per_tick =
      static_cast<std::uint64_t>(std::llround(static_cast<double>(kInBucket) / (1 - quantile)));
  const std::uint64_t below_rank = per_tick - kInBucket;  // quantile * per_tick
  std::size_t j = 1;
  while (j + 1 < buckets.count && target > buckets.bound(j)) ++j;
  const double low = buckets.bound(j - 1);
  const double fraction = (target - low) / (buckets.bound(j) - low);
  // The largest whole tail strictly below fraction * kInBucket.
  double scaled = std::ceil(fraction * static_cast<double>(kInBucket)) - 1;
  if (scaled < 0) scaled = 0;
  if (scaled > kInBucket - 1) scaled = kInBucket - 1;
  const auto tail = static_cast<std::uint64_t>(scaled);

  TickDistribution d;
  // The bulk sits in up to three buckets under the p99's bucket.
  const std::uint64_t bulk = below_rank - tail;
  if (j >= 3) {
    d.per_bucket[j - 3] = bulk * 15 / 100;
    d.per_bucket[j - 2] = bulk * 35 / 100;
    d.per_bucket[j - 1] = bulk - d.per_bucket[j - 3] - d.per_bucket[j - 2];
  } else if (j == 2) {
    d.per_bucket[0] = bulk * 30 / 100;
    d.per_bucket[1] = bulk - d.per_bucket[0];
  } else {
    d.per_bucket[0] = bulk;
  }
  d.per_bucket[j] = kInBucket;
  d.per_bucket[j + 1] += tail;  // j + 1 == buckets.count is the +Inf-only slot
  for (std::size_t i = 0; i <= buckets.count; ++i) {
    d.total += d.per_bucket[i];
    d.sum_seconds += static_cast<double>(d.per_bucket[i]) * representative(buckets, i);
  }
  return d;
}

}  // namespace opr::sim
