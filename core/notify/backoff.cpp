#include "notify/backoff.h"

#include <algorithm>
#include <chrono>

namespace opr::notify {

std::optional<TimePoint> next_attempt(const config::RetryConfig& retry, int attempts,
                                      TimePoint created, TimePoint now, double jitter) {
  using std::chrono::milliseconds;
  const TimePoint give_up_at = created + retry.give_up_after;
  if (now >= give_up_at) return std::nullopt;
  milliseconds delay = retry.initial_backoff;
  for (int i = 1; i < attempts && delay < retry.max_backoff; ++i) delay *= 2;
  delay = std::min(delay, retry.max_backoff);
  jitter = std::clamp(jitter, 0.0, 1.0);
  delay -= milliseconds(static_cast<long long>(static_cast<double>(delay.count()) * jitter / 2));
  // The last try comes at the give-up age at the latest, not after it.
  return std::min(now + delay, give_up_at);
}

}  // namespace opr::notify
