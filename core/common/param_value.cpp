#include "common/param_value.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>

#include "common/duration.h"

namespace opr {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view param_type_name(int32_t type) {
  switch (type) {
    case OP_PARAM_STRING:
      return "string";
    case OP_PARAM_INT:
      return "int";
    case OP_PARAM_FLOAT:
      return "float";
    case OP_PARAM_BOOL:
      return "bool";
    case OP_PARAM_DURATION:
      return "duration";
    case OP_PARAM_STRING_LIST:
      return "string-list";
    default:
      return "unknown";
  }
}

bool is_valid_param_type(int32_t type) {
  return type >= OP_PARAM_STRING && type <= OP_PARAM_STRING_LIST;
}

std::optional<ParamValue> parse_param_text(int32_t type, std::string_view text) {
  switch (type) {
    case OP_PARAM_STRING:
      return ParamValue(std::string(text));
    case OP_PARAM_INT: {
      int64_t value = 0;
      const auto t = trim(text);
      const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
      if (ec != std::errc() || end != t.data() + t.size() || t.empty()) return std::nullopt;
      return ParamValue(value);
    }
    case OP_PARAM_FLOAT: {
      const std::string t(trim(text));
      if (t.empty()) return std::nullopt;
      char* end = nullptr;
      errno = 0;
      const double value = std::strtod(t.c_str(), &end);
      if (end != t.c_str() + t.size() || errno == ERANGE) return std::nullopt;
      return ParamValue(value);
    }
    case OP_PARAM_BOOL: {
      const auto t = trim(text);
      if (t == "true") return ParamValue(true);
      if (t == "false") return ParamValue(false);
      return std::nullopt;
    }
    case OP_PARAM_DURATION: {
      auto d = parse_duration(trim(text));
      if (!d) return std::nullopt;
      return ParamValue(*d);
    }
    case OP_PARAM_STRING_LIST: {
      std::vector<std::string> items;
      std::string_view rest = text;
      while (!trim(rest).empty()) {
        const size_t comma = rest.find(',');
        items.emplace_back(trim(rest.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      return ParamValue(std::move(items));
    }
    default:
      return std::nullopt;
  }
}

std::string format_param_value(const ParamValue& value) {
  struct Formatter {
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      char buffer[32];
      const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
      return ec == std::errc() ? std::string(buffer, end) : std::to_string(d);
    }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::chrono::milliseconds d) const { return format_duration(d); }
    std::string operator()(const std::vector<std::string>& items) const {
      std::string out;
      for (const auto& item : items) {
        if (!out.empty()) out += ",";
        out += item;
      }
      return out;
    }
  };
  return std::visit(Formatter{}, value);
}

}  // namespace opr
