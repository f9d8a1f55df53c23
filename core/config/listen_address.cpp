#include "config/listen_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace opr::config {

namespace {

constexpr const char* kExample = "write HOST:PORT, e.g. 127.0.0.1:9464";

bool is_host_name(std::string_view host) {
  // Letters, digits, '-' and '.', as resolvers accept them (and IPv4).
  return !host.empty() && host.size() <= 253 && host.front() != '.' && host.front() != '-' &&
         std::all_of(host.begin(), host.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
         });
}

bool is_ipv6(const std::string& host) {
  in6_addr address{};
  return inet_pton(AF_INET6, host.c_str(), &address) == 1;
}

}  // namespace

std::string to_string(const ListenAddress& address) {
  const bool v6 = address.host.find(':') != std::string::npos;
  return (v6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

std::variant<ListenAddress, std::string> parse_listen_address(std::string_view text) {
  if (text.find("://") != std::string_view::npos) {
    return std::string("a listen address has no scheme (no http://): ") + kExample;
  }
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::string("the port is missing: ") + kExample;
  std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  ListenAddress address;
  if (!host.empty() && host.front() == '[') {
    if (host.size() < 2 || host.back() != ']') {
      return std::string("an IPv6 address needs its closing ']': ") + kExample + " or [::1]:9464";
    }
    address.host = std::string(host.substr(1, host.size() - 2));
    if (!is_ipv6(address.host)) return "'" + address.host + "' is not an IPv6 address";
  } else if (host.find(':') != std::string_view::npos) {
    return std::string("an IPv6 address must be in brackets, e.g. [::1]:9464");
  } else if (!host.empty() && !is_host_name(host)) {
    return "'" + std::string(host) + "' is not a host name or an IP address; " + kExample;
  } else {
    address.host = std::string(host);
  }
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    return "'" + std::string(port) + "' is not a port (1 to 65535); " + kExample;
  }
  const int number = std::stoi(std::string(port));
  if (number < 1 || number > 65535) {
    return "port " + std::to_string(number) + " is out of range (1 to 65535); " + kExample;
  }
  address.port = number;
  return address;
}

}  // namespace opr::config
