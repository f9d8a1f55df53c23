// When a failed delivery is tried again: exponential backoff with jitter,
// and the age past which a notification is given up.
#pragma once

#include <optional>

#include "common/time_format.h"
#include "config/config.h"

namespace opr::notify {

// The time of the next attempt after `attempts` failed ones (1 after the
// first failure), or nullopt when the notification, created at `created`,
// is too old by `now` to be tried again. The delay doubles from
// retry.initial_backoff up to retry.max_backoff; `jitter` in [0, 1) takes
// up to half of it away, so that receivers coming back are not hit by every
// sender at once.
std::optional<TimePoint> next_attempt(const config::RetryConfig& retry, int attempts,
                                      TimePoint created, TimePoint now, double jitter);

}  // namespace opr::notify
