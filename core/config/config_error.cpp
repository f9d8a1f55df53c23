#include "config/config.h"

#include "common/redaction.h"

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

bool is_secret_param(std::string_view name) { return is_secret_name(name); }

}  // namespace opr::config
