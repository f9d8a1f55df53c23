// Durations as people write them in configs: "250ms", "30s", "5m", "1h".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace opr {

// Parses "<digits><unit>" with unit ms, s, m or h, or compound forms such as
// "1h30m". Returns nullopt on anything else (including an empty string,
// missing units and overflow).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// The shortest exact form: 1500ms -> "1500ms", 90000ms -> "90s", 0 -> "0s".
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace opr
