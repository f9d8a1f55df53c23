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

std::optional<TimePoint> parse_time(std::string_view text) {
  constexpr std::size_t kDateTime = 19;  // "2026-11-23T12:55:18"
  if (text.size() <= kDateTime) return std::nullopt;
  std::string date_time(text.substr(0, kDateTime));
  if (date_time[10] == ' ' || date_time[10] == 't') date_time[10] = 'T';
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::string_view rest = text.substr(kDateTime);
  int millis = 0;
  if (rest.front() == '.') {
    std::size_t digits = 1;
    while (digits < rest.size() && is_digit(rest[digits])) {
      if (digits <= 3) millis = millis * 10 + (rest[digits] - '0');
      ++digits;
    }
    if (digits == 1) return std::nullopt;
    for (std::size_t shown = digits - 1; shown < 3; ++shown) millis *= 10;
    rest.remove_prefix(digits);
  }
  int offset_minutes = 0;
  if (rest == "Z" || rest == "z") {
    offset_minutes = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && is_digit(rest[1]) &&
             is_digit(rest[2]) && rest[3] == ':' && is_digit(rest[4]) && is_digit(rest[5])) {
    const int hours = (rest[1] - '0') * 10 + (rest[2] - '0');
    const int minutes = (rest[4] - '0') * 10 + (rest[5] - '0');
    if (hours > 23 || minutes > 59) return std::nullopt;
    offset_minutes = (rest[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
  } else {
    return std::nullopt;
  }
  const auto local = parse_utc(date_time + "Z");
  if (!local) return std::nullopt;
  return *local + std::chrono::milliseconds(millis) - std::chrono::minutes(offset_minutes);
}

}  // namespace opr
