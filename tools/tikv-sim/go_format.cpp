#include "go_format.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string_view>

namespace opr::sim {

std::string go_bytes_size(std::uint64_t bytes) {
  static constexpr std::array<const char*, 9> kUnits = {"B",   "KiB", "MiB", "GiB", "TiB",
                                                        "PiB", "EiB", "ZiB", "YiB"};
  double size = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (size >= 1024.0 && unit + 1 < kUnits.size()) {
    size /= 1024.0;
    ++unit;
  }
  // C's %.4g matches Go's for these magnitudes: 4 significant digits,
  // trailing zeros dropped, no exponent below 10000.
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g%s", size, kUnits[unit]);
  return buffer;
}

namespace {

// Go's fmtFrac/fmtInt on a reversed buffer, as in time/time.go.
std::string go_fraction(std::uint64_t value, int precision, std::uint64_t& integer_part) {
  std::string digits;
  bool printed = false;
  for (int i = 0; i < precision; ++i) {
    const auto digit = value % 10;
    printed = printed || digit != 0;
    if (printed) digits.insert(digits.begin(), static_cast<char>('0' + digit));
    value /= 10;
  }
  integer_part = value;
  return printed ? "." + digits : "";
}

}  // namespace

std::string go_duration(std::int64_t nanoseconds) {
  if (nanoseconds == 0) return "0s";
  const bool negative = nanoseconds < 0;
  std::uint64_t u = negative ? static_cast<std::uint64_t>(-(nanoseconds + 1)) + 1
                             : static_cast<std::uint64_t>(nanoseconds);
  std::string out;
  if (u < 1'000'000'000ULL) {
    // Below one second Go switches to ns, µs or ms with a fraction.
    int precision = 0;
    const char* unit = "ns";
    if (u < 1'000ULL) {
      out = std::to_string(u) + "ns";
      return negative ? "-" + out : out;
    } else if (u < 1'000'000ULL) {
      precision = 3;
      unit = "\u00b5s";
    } else {
      precision = 6;
      unit = "ms";
    }
    std::uint64_t whole = 0;
    const std::string fraction = go_fraction(u, precision, whole);
    out = std::to_string(whole) + fraction + unit;
  } else {
    std::uint64_t whole_seconds = 0;
    const std::string fraction = go_fraction(u, 9, whole_seconds);
    out = std::to_string(whole_seconds % 60) + fraction + "s";
    const std::uint64_t minutes = whole_seconds / 60;
    if (minutes > 0) {
      out = std::to_string(minutes % 60) + "m" + out;
      const std::uint64_t hours = minutes / 60;
      if (hours > 0) out = std::to_string(hours) + "h" + out;
    }
  }
  return negative ? "-" + out : out;
}

std::string go_rfc3339_nano_utc(std::int64_t unix_nanoseconds) {
  std::int64_t seconds = unix_nanoseconds / 1'000'000'000;
  std::int64_t nanos = unix_nanoseconds % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --seconds;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  std::string out = buffer;
  if (nanos != 0) {
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, ".%09lld", static_cast<long long>(nanos));
    std::string f = fraction;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  out += 'Z';
  return out;
}

void append_shortest_decimal(std::string& out, double value) {
  char buffer[400];
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  out.append(buffer, ec == std::errc() ? end : buffer);
}

void append_go_float(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  if (value == 0) {
    out += '0';
    return;
  }
  // Go's 'g' with the shortest digits uses %e when the decimal exponent is
  // below -4 or at least 6 (eprec = 6 for the shortest form); the digits are
  // the same shortest round-trip digits either way, as are C++'s.
  char buffer[64];
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  const std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
  std::size_t at = text.find('e') + 1;
  const bool negative = text[at] == '-';
  if (text[at] == '-' || text[at] == '+') ++at;
  int exponent = 0;
  std::from_chars(text.data() + at, text.data() + text.size(), exponent);
  if (negative) exponent = -exponent;
  if (exponent < -4 || exponent >= 6) {
    out += text;  // "1.234567e+06": at least two exponent digits, as Go writes
    return;
  }
  append_shortest_decimal(out, value);
}

std::string shortest_decimal(double value) {
  std::string out;
  append_shortest_decimal(out, value);
  return out;
}

void append_integer(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

void append_integer(std::string& out, std::uint64_t value) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

void append_help_and_type(std::string& out, std::string_view family, std::string_view help,
                          std::string_view type) {
  out += "# HELP ";
  out += family;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += family;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace opr::sim
