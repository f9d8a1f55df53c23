// The `expect_status` parameter of http_ok: items such as "200" or "200-299".
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace example {

class StatusRanges {
 public:
  // Throws opr::sdk::CheckFailed naming the bad item.
  static StatusRanges parse(const std::vector<std::string>& items);

  bool contains(int status) const;

 private:
  std::vector<std::pair<int, int>> ranges_;  // inclusive
};

}  // namespace example
