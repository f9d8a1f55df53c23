// When a failed delivery is tried again, and when it is given up.
#include <gtest/gtest.h>

#include "notify/backoff.h"

namespace opr::notify {
namespace {

using namespace std::chrono_literals;

const TimePoint kCreated = *parse_utc("2026-11-23T12:00:00.000Z");

config::RetryConfig retry_1s_to_5m_for_1h() {
  config::RetryConfig retry;
  retry.initial_backoff = 1s;
  retry.max_backoff = 5min;
  retry.give_up_after = 1h;
  return retry;
}

TEST(Backoff, TheDelayDoublesFromTheInitialBackoffUpToTheMaximum) {
  const auto retry = retry_1s_to_5m_for_1h();
  const TimePoint now = kCreated + 10s;
  EXPECT_EQ(next_attempt(retry, 1, kCreated, now, 0.0), now + 1s);
  EXPECT_EQ(next_attempt(retry, 2, kCreated, now, 0.0), now + 2s);
  EXPECT_EQ(next_attempt(retry, 3, kCreated, now, 0.0), now + 4s);
  EXPECT_EQ(next_attempt(retry, 9, kCreated, now, 0.0), now + 256s);
  EXPECT_EQ(next_attempt(retry, 10, kCreated, now, 0.0), now + 5min);
  EXPECT_EQ(next_attempt(retry, 1000, kCreated, now, 0.0), now + 5min);
}

TEST(Backoff, JitterTakesAwayUpToHalfTheDelay) {
  const auto retry = retry_1s_to_5m_for_1h();
  const TimePoint now = kCreated + 10s;
  EXPECT_EQ(next_attempt(retry, 3, kCreated, now, 0.5), now + 3s);
  EXPECT_EQ(next_attempt(retry, 3, kCreated, now, 0.999), now + 2002ms);
}

TEST(Backoff, ANotificationOlderThanTheGiveUpAgeIsNotTriedAgain) {
  const auto retry = retry_1s_to_5m_for_1h();
  EXPECT_EQ(next_attempt(retry, 20, kCreated, kCreated + 1h, 0.0), std::nullopt);
  // The last try comes at the give-up age, not after it.
  EXPECT_EQ(next_attempt(retry, 20, kCreated, kCreated + 1h - 1min, 0.0), kCreated + 1h);
}

}  // namespace
}  // namespace opr::notify
