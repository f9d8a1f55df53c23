#include "engine/schedule.h"

#include <algorithm>

namespace opr::engine {

using std::chrono::milliseconds;

milliseconds first_run_offset(std::size_t position, std::size_t count, milliseconds interval) {
  if (count == 0 || interval <= milliseconds::zero()) return milliseconds::zero();
  const milliseconds window = std::min(interval, kMaxStartSpread);
  return milliseconds(window.count() * static_cast<int64_t>(position % count) /
                      static_cast<int64_t>(count));
}

std::chrono::steady_clock::time_point next_due(std::chrono::steady_clock::time_point due,
                                               milliseconds interval,
                                               std::chrono::steady_clock::time_point now) {
  if (interval <= milliseconds::zero()) interval = milliseconds(1);
  auto next = due + interval;
  if (next <= now) {
    const auto behind = std::chrono::duration_cast<milliseconds>(now - next);
    next += interval * (behind / interval + 1);
  }
  return next;
}

milliseconds cycle_period(const std::vector<milliseconds>& intervals) {
  if (intervals.empty()) return kDefaultCycle;
  return std::max(*std::min_element(intervals.begin(), intervals.end()), kMinCycle);
}

}  // namespace opr::engine
