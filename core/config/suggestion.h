// "Did you mean ...?" for misspelt keys, checks and packs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opr::config {

// Edits (insert, delete, substitute, swap two neighbours) from a to b.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a likely typo.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

// "; did you mean 'x'?" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c" (or "none").
std::string join_names(const std::vector<std::string>& names);

}  // namespace opr::config
