#include <algorithm>
#include <cctype>

#include "config/config.h"

namespace opr::config {
namespace {

std::string format_error(const Mark& mark, const std::string& message) {
  if (mark.line <= 0) return mark.file + ": " + message;  // the file as a whole
  return mark.file + ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column) + ": " +
         message;
}

}  // namespace

ConfigError::ConfigError(Mark mark, const std::string& message)
    : std::runtime_error(format_error(mark, message)), mark_(std::move(mark)), message_(message) {}

bool is_secret_param(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("password") != std::string::npos || lower.find("token") != std::string::npos ||
         lower.find("secret") != std::string::npos;
}

}  // namespace opr::config
