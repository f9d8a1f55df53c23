// Small text helpers for messages, facts and headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace opr::tikv {

// `value` with `decimals` digits after the point ("150.0"); "+Inf", "-Inf"
// and "NaN" for the special values.
std::string format_decimal(double value, int decimals);

// `value` with one decimal, or with more (up to six) until the text reads
// as more than `threshold`: a value just above 100 prints as "100.02",
// never as "100.0 exceeds 100.0".
std::string format_exceeding(double value, double threshold);

// The start of a response body for an error message: at most `max_bytes`,
// control characters replaced by spaces, "..." when cut.
std::string body_excerpt(std::string_view body, size_t max_bytes = 200);

// Without leading and trailing whitespace (spaces, tabs, CR, LF).
std::string trim(std::string_view text);

// Standard base64 with padding (RFC 4648), for HTTP basic auth.
std::string base64_encode(std::string_view bytes);

// "1,5,9".
std::string join_ids(const std::vector<uint64_t>& ids);

}  // namespace opr::tikv
