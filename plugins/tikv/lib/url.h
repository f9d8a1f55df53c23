// Endpoint URLs: checked once, joined with API paths, safe to print.
#pragma once

#include <string>
#include <string_view>

namespace opr::tikv {

// Checks that `url` is an absolute http:// or https:// URL with a host and
// drops trailing slashes, so "http://pd:2379/" + "/pd/api/v1/stores" joins
// cleanly. `name` names the setting in the error. Throws
// std::invalid_argument with a message for the user.
std::string normalize_base_url(std::string_view url, std::string_view name);

// Percent-encodes everything but RFC 3986 unreserved characters, for a
// query-string value such as a PromQL expression.
std::string percent_encode(std::string_view text);

// The URL with any user:password@ replaced by ***@, for messages and logs.
std::string redact_url(std::string_view url);

}  // namespace opr::tikv
