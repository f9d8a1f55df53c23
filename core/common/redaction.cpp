#include "common/redaction.h"

#include "common/percent_encoding.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace opr {
namespace {

bool is_blank(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A password found in a text: bytes [begin, end) as written (quotes
// included), and its value as a library reads it.
struct Found {
  size_t begin = 0;
  size_t end = 0;
  std::string value;
};

// Without backslash escapes (libpq's, in quoted and bare values alike).
std::string unescaped(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) ++i;
    out += text[i];
  }
  return out;
}

// The passwords of URLs: after "scheme://", the authority runs to the first
// '/', '?', '#', blank or quote; its user information to its last '@'; the
// password from the first ':' of that.
void find_url_passwords(std::string_view text, std::vector<Found>& found) {
  size_t from = 0;
  while (true) {
    const size_t scheme_end = text.find("://", from);
    if (scheme_end == std::string_view::npos) return;
    const size_t start = scheme_end + 3;
    size_t end = start;
    while (end < text.size() && !is_blank(text[end]) &&
           std::string_view("/?#\"'").find(text[end]) == std::string_view::npos) {
      ++end;
    }
    const std::string_view authority = text.substr(start, end - start);
    const size_t at = authority.rfind('@');
    const size_t colon = authority.find(':');
    if (at != std::string_view::npos && colon < at) {
      const std::string_view raw = authority.substr(colon + 1, at - colon - 1);
      found.push_back({start + colon + 1, start + at, std::string(raw)});
    }
    from = start;
  }
}

// The values of secret-named keys written key=value.
void find_key_passwords(std::string_view text, std::vector<Found>& found) {
  size_t equals = text.find('=');
  while (equals != std::string_view::npos) {
    size_t key_end = equals;
    while (key_end > 0 && (text[key_end - 1] == ' ' || text[key_end - 1] == '\t')) --key_end;
    size_t key_begin = key_end;
    while (key_begin > 0 && is_key_char(text[key_begin - 1])) --key_begin;
    const std::string_view key = text.substr(key_begin, key_end - key_begin);
    if (key.empty() || !is_secret_name(key)) {
      equals = text.find('=', equals + 1);
      continue;
    }
    size_t begin = equals + 1;
    while (begin < text.size() && (text[begin] == ' ' || text[begin] == '\t')) ++begin;
    size_t end = begin;
    std::string value;
    if (begin < text.size() && (text[begin] == '\'' || text[begin] == '"')) {
      const char quote = text[begin];
      end = text.size();  // an unclosed quote hides the rest
      for (size_t i = begin + 1; i < text.size(); ++i) {
        if (text[i] == '\\') {
          ++i;
        } else if (text[i] == quote) {
          end = i + 1;
          break;
        }
      }
      const size_t inner_end = end > begin + 1 && text[end - 1] == quote ? end - 1 : end;
      value = unescaped(text.substr(begin + 1, inner_end - begin - 1));
    } else if (text.substr(begin).starts_with(kMasked)) {
      end = begin + kMasked.size();  // masked already: what follows is the message's
    } else {
      while (end < text.size() && !is_blank(text[end]) && text[end] != '&' && text[end] != ';') {
        end += text[end] == '\\' && end + 1 < text.size() ? 2 : 1;
      }
      value = std::string(text.substr(begin, end - begin));
    }
    if (end > begin) found.push_back({begin, end, std::move(value)});
    equals = text.find('=', std::max(end, equals + 1));
  }
}

std::vector<Found> find_passwords(std::string_view text) {
  std::vector<Found> found;
  find_url_passwords(text, found);
  find_key_passwords(text, found);
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return a.begin < b.begin; });
  return found;
}

void replace_all(std::string& text, std::string_view needle) {
  if (needle.empty() || needle == kMasked) return;
  size_t at = text.find(needle);
  while (at != std::string::npos) {
    text.replace(at, needle.size(), kMasked);
    at = text.find(needle, at + kMasked.size());
  }
}

}  // namespace

bool is_secret_name(std::string_view name) {
  const std::string text = lower(name);
  for (const char* part : {"password", "passwd", "token", "secret"}) {
    if (text.find(part) != std::string::npos) return true;
  }
  return text == "pwd" || text == "pass";
}

std::string mask_passwords(std::string_view text, const std::vector<std::string>& secrets) {
  std::string masked(text);
  std::vector<std::string> longest_first = secrets;
  std::sort(longest_first.begin(), longest_first.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& secret : longest_first) replace_all(masked, secret);

  std::string out;
  out.reserve(masked.size());
  size_t copied = 0;
  for (const Found& password : find_passwords(masked)) {
    if (password.end <= copied) continue;  // inside one already hidden
    const size_t begin = std::max(password.begin, copied);
    out.append(masked, copied, begin - copied);
    out += kMasked;
    copied = password.end;
  }
  out.append(masked, copied, std::string::npos);
  return out;
}

std::vector<std::string> connection_secrets(std::string_view connection) {
  std::vector<std::string> secrets;
  const auto add = [&secrets](std::string value) {
    if (value.empty() || value == kMasked) return;
    if (std::find(secrets.begin(), secrets.end(), value) == secrets.end()) {
      secrets.push_back(std::move(value));
    }
  };
  for (const Found& password : find_passwords(connection)) {
    add(std::string(connection.substr(password.begin, password.end - password.begin)));
    if (auto decoded = percent_decode(password.value)) add(std::move(*decoded));
    add(password.value);
  }
  return secrets;
}

}  // namespace opr
