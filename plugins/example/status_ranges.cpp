#include "status_ranges.h"

#include <operator/plugin.hpp>

#include <charconv>
#include <string_view>

namespace example {
namespace {

bool parse_status(std::string_view text, int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= 100 && out <= 599;
}

}  // namespace

StatusRanges StatusRanges::parse(const std::vector<std::string>& items) {
  StatusRanges ranges;
  for (const std::string& item : items) {
    const std::string_view text = item;
    const size_t dash = text.find('-');
    int low = 0;
    int high = 0;
    const bool ok = dash == std::string_view::npos
                        ? parse_status(text, low) && parse_status(text, high)
                        : parse_status(text.substr(0, dash), low) &&
                              parse_status(text.substr(dash + 1), high) && low <= high;
    if (!ok) {
      throw opr::sdk::CheckFailed("expect_status: '" + item +
                                  "' is not a status (100-599) or a range such as 200-299");
    }
    ranges.ranges_.emplace_back(low, high);
  }
  if (ranges.ranges_.empty()) throw opr::sdk::CheckFailed("expect_status is empty");
  return ranges;
}

bool StatusRanges::contains(int status) const {
  for (const auto& [low, high] : ranges_) {
    if (status >= low && status <= high) return true;
  }
  return false;
}

}  // namespace example
