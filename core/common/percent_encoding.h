// Percent-encoding (RFC 3986 section 2.1) as URLs and connection strings
// need it: one encoder for query values, passwords and socket paths, and
// the decoder that reads a password as libpq does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace opr {

// `text` with every byte but the unreserved ones (A-Z a-z 0-9 - . _ ~) as
// %XX (upper-case hex): safe in a query value, a URL's user information or
// its host.
std::string percent_encode(std::string_view text);

// `text` with every %XX as its byte; nullopt when a '%' is not followed by
// two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace opr
