#include "common/time_format.h"

#include <cstdio>
#include <ctime>

namespace opr {

TimePoint now_ms() { return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()); }

std::string format_utc(TimePoint time) {
  const int64_t ms = time.time_since_epoch().count();
  int64_t seconds = ms / 1000;
  int64_t millis = ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[96];  // generous: -Wformat-truncation reasons about int ranges
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buffer;
}

std::optional<TimePoint> parse_utc(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  char z = 0;
  const std::string s(text);
  const bool with_millis =
      s.size() == 24 && std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &year, &month, &day,
                                    &hour, &minute, &second, &millis, &z) == 8;
  const bool whole_seconds =
      s.size() == 20 && std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &year, &month, &day,
                                    &hour, &minute, &second, &z) == 7;
  if ((!with_millis && !whole_seconds) || z != 'Z' || month < 1 || month > 12 || day < 1 ||
      day > 31 || hour > 23 || minute > 59 || second > 60 || hour < 0 || minute < 0 || second < 0 ||
      millis < 0) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t t = timegm(&tm);
  return TimePoint(std::chrono::milliseconds(static_cast<int64_t>(t) * 1000 + millis));
}

}  // namespace opr
