// Wall-clock times as the project shows and stores them: UTC ISO 8601 with
// milliseconds and a trailing Z, e.g. "2026-11-23T12:55:18.042Z".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace opr {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<Clock, std::chrono::milliseconds>;

TimePoint now_ms();
std::string format_utc(TimePoint time);
// Parses what format_utc writes, with or without the milliseconds
// ("2026-11-23T12:55:18Z"); nullopt otherwise.
std::optional<TimePoint> parse_utc(std::string_view text);
// A time as people type it (RFC 3339): "2026-11-23T12:55:18Z",
// "2026-11-23 13:55:18+01:00", with any fraction of a second (kept to the
// millisecond); nullopt otherwise.
std::optional<TimePoint> parse_time(std::string_view text);

}  // namespace opr
