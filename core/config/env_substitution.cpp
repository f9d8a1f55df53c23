#include "config/env_substitution.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace opr::config {
namespace {

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

std::optional<std::string> process_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string substitute_env(std::string_view text, const EnvLookup& lookup) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c != '$' || i + 1 >= text.size() || (text[i + 1] != '$' && text[i + 1] != '{')) {
      out += c;
      ++i;
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      i += 2;
      continue;
    }
    const size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      throw std::invalid_argument(
          "unterminated '${' (close it with '}', or write $$ for a dollar)");
    }
    const std::string_view inside = text.substr(i + 2, close - i - 2);
    const size_t sep = inside.find(":-");
    const std::string name(inside.substr(0, sep));
    if (name.empty() || !is_name_start(name[0]) ||
        !std::all_of(name.begin(), name.end(), is_name_char)) {
      throw std::invalid_argument("bad variable reference '${" + std::string(inside) +
                                  "}': write ${NAME} or ${NAME:-default}");
    }
    const std::optional<std::string> value = lookup(name);
    if (sep != std::string_view::npos && (!value || value->empty())) {
      out += inside.substr(sep + 2);
    } else if (value) {
      out += *value;
    } else {
      throw std::invalid_argument("environment variable '" + name +
                                  "' is not set (set it, or give a default: ${" + name +
                                  ":-value})");
    }
    i = close + 1;
  }
  return out;
}

}  // namespace opr::config
