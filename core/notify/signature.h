// The signature webhook receivers check: HMAC-SHA256 of the body with a
// shared secret, as the X-Operator-Signature header carries it.
#pragma once

#include <string>
#include <string_view>

namespace opr::notify {

// "sha256=" and the lower-case hex HMAC-SHA256 of `body` keyed with `secret`.
std::string signature_header(std::string_view secret, std::string_view body);

}  // namespace opr::notify
