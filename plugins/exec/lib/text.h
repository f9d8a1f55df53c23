// Small text helpers for messages built from a program's output.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace opr::exec {

// Without leading and trailing spaces, tabs, CR and LF.
std::string_view trim(std::string_view text);

// At most `max_bytes` of `text` (not cutting a UTF-8 sequence), control
// characters as spaces (line breaks too, unless `keep_lines`), "..." when
// cut: a program's words inside ours.
std::string excerpt(std::string_view text, size_t max_bytes = 200, bool keep_lines = false);

// `text` split at '\n' (a trailing '\r' dropped from each line); no last
// empty line for text that ends with '\n'.
std::vector<std::string_view> split_lines(std::string_view text);

// The shortest text that reads back as the finite `value`: a JSON number.
std::string number_text(double value);

// The last line of `text` that is not blank, trimmed; "" when none.
std::string_view last_line(std::string_view text);

}  // namespace opr::exec
