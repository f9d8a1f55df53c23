#include "url.h"

#include <stdexcept>

#include "text.h"

namespace opr::tikv {

std::string normalize_base_url(std::string_view url, std::string_view name) {
  std::string base = trim(url);
  const bool http = base.starts_with("http://");
  const bool https = base.starts_with("https://");
  if (!http && !https) {
    throw std::invalid_argument(std::string(name) + " must be an http:// or https:// URL, got '" +
                                redact_url(base) + "'");
  }
  while (base.ends_with('/')) base.pop_back();
  const size_t host = http ? 7 : 8;
  if (base.size() <= host) {
    throw std::invalid_argument(std::string(name) + " has no host: '" + redact_url(base) + "'");
  }
  if (base.find_first_of("?#", host) != std::string::npos) {
    throw std::invalid_argument(std::string(name) + " must not carry a query or fragment: '" +
                                redact_url(base) + "'");
  }
  return base;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' ||
                            byte == '_' || byte == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

std::string redact_url(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const size_t authority = scheme + 3;
  const size_t end = url.find_first_of("/?#", authority);
  const std::string_view host_part = url.substr(
      authority, end == std::string_view::npos ? std::string_view::npos : end - authority);
  const size_t at = host_part.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, authority)) + "***@" +
         std::string(url.substr(authority + at + 1));
}

}  // namespace opr::tikv
