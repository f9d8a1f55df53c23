// When checks run: start times spread over the first interval, then a fixed
// rate that skips slots it missed instead of running them in a burst.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

namespace opr::engine {

// Start offsets are spread over at most this long, so that a restart never
// leaves a long-interval check silent for most of its interval.
inline constexpr std::chrono::milliseconds kMaxStartSpread{10'000};

// The delay before the first run of the `position`-th of `count` enabled
// checks (config order): position * min(interval, kMaxStartSpread) / count.
// The first check starts at once.
std::chrono::milliseconds first_run_offset(std::size_t position, std::size_t count,
                                           std::chrono::milliseconds interval);

// The next slot after `due` that is later than `now`: due + k * interval with
// the smallest k >= 1 that makes it so.
std::chrono::steady_clock::time_point next_due(std::chrono::steady_clock::time_point due,
                                               std::chrono::milliseconds interval,
                                               std::chrono::steady_clock::time_point now);

// The heartbeat period (one "cycle"): the shortest interval among enabled
// checks, at least kMinCycle; kDefaultCycle when there are none.
inline constexpr std::chrono::milliseconds kMinCycle{100};
inline constexpr std::chrono::milliseconds kDefaultCycle{30'000};
std::chrono::milliseconds cycle_period(const std::vector<std::chrono::milliseconds>& intervals);

}  // namespace opr::engine
