// The one rule for a subject a run names more than once: it counts once, in
// the place where the run first named it, with what the run said of it last.
// And a subject the run both reported and could not evaluate was seen: it
// counts as reported. The pack's host (what a run returns) and the ticket
// store (what it records) both keep their items through these.
#pragma once

#include <cstddef>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace opr {

// The positions in `items` (anything with a `subject`) to keep: each
// subject's last item, in the order subjects were first named.
template <typename Item>
std::vector<size_t> last_per_subject(const std::vector<Item>& items) {
  std::unordered_map<std::string_view, size_t> slot;  // subject -> index in `kept`
  std::vector<size_t> kept;
  slot.reserve(items.size());
  kept.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    const auto [it, inserted] = slot.try_emplace(items[i].subject, kept.size());
    if (inserted) {
      kept.push_back(i);
    } else {
      kept[it->second] = i;
    }
  }
  return kept;
}

// As last_per_subject(unknown), without the subjects that `reported` names.
template <typename Unknown, typename Reported>
std::vector<size_t> unknown_not_reported(const std::vector<Unknown>& unknown,
                                         const std::vector<Reported>& reported) {
  std::vector<size_t> kept = last_per_subject(unknown);
  if (kept.empty() || reported.empty()) return kept;  // the common case: no hashing
  std::unordered_set<std::string_view> seen;
  seen.reserve(reported.size());
  for (const auto& item : reported) seen.insert(item.subject);
  std::erase_if(kept, [&](size_t i) { return seen.count(unknown[i].subject) > 0; });
  return kept;
}

}  // namespace opr
