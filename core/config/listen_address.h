// `http.listen`: "HOST:PORT" -> ListenAddress, with no I/O (whether the
// port is free is the listener's to find out).
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "config/config.h"

namespace opr::config {

// The address, or why `text` is not one ("the port is missing: write
// HOST:PORT, e.g. 127.0.0.1:9464"). Port 1..65535; the host an IPv4
// address, a host name, "[IPv6]", or empty for every IPv4 interface.
std::variant<ListenAddress, std::string> parse_listen_address(std::string_view text);

}  // namespace opr::config
