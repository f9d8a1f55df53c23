#include "cli/plugins_format.h"

#include <algorithm>
#include <chrono>
#include <sstream>

#include "common/duration.h"
#include "common/param_value.h"
#include "common/severity.h"

namespace opr::cli {
namespace {

using plugins::LoadedPack;

std::string text(const char* s) { return s != nullptr ? s : ""; }

std::string severity_name(int32_t severity) {
  return std::string(to_string(static_cast<Severity>(severity)));
}

std::string duration_text(uint64_t ms) {
  return format_duration(std::chrono::milliseconds(static_cast<int64_t>(ms)));
}

std::string abi_text(const op_pack_descriptor& d) {
  return std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor);
}

constexpr size_t kWidth = 80;

// `prefix` followed by `words` wrapped at kWidth, continuation lines aligned
// under the first word; when the prefix leaves too little room, the text
// starts on the next line at column `fallback_column` instead.
std::string with_wrapped_text(std::string prefix, const std::string& words,
                              size_t fallback_column) {
  std::string out;
  size_t column = prefix.size();
  if (column + 24 > kWidth && column + words.size() > kWidth) {
    while (!prefix.empty() && prefix.back() == ' ') prefix.pop_back();
    out = prefix + "\n";
    prefix.assign(fallback_column, ' ');
    column = fallback_column;
  }
  std::string line = prefix;
  std::istringstream in(words);
  bool first = true;
  for (std::string word; in >> word;) {
    if (!first && line.size() + 1 + word.size() > kWidth) {
      out += line + "\n";
      line.assign(column, ' ');
      first = true;
    }
    if (!first) line += ' ';
    line += word;
    first = false;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return out + line + "\n";
}

void params_text(std::ostringstream& out, const op_param_def* params, uint32_t count,
                 const std::string& indent) {
  if (count == 0) {
    out << indent << "parameters: none\n";
    return;
  }
  size_t name_width = 4, type_width = 4, default_width = 7;
  for (uint32_t i = 0; i < count; ++i) {
    name_width = std::max(name_width, text(params[i].name).size());
    type_width = std::max(type_width, param_type_name(params[i].type).size());
    const size_t shown = params[i].required != 0 ? 8
                         : params[i].default_value != nullptr
                             ? text(params[i].default_value).size() + 2
                             : 1;
    default_width = std::max(default_width, shown);
  }
  out << indent << "parameters:\n";
  for (uint32_t i = 0; i < count; ++i) {
    const op_param_def& p = params[i];
    const std::string shown = p.required != 0              ? "required"
                              : p.default_value != nullptr ? "= " + text(p.default_value)
                                                           : "-";
    std::string line = indent + "  " + text(p.name);
    line.resize(indent.size() + 2 + name_width + 2, ' ');
    line += param_type_name(p.type);
    line.resize(indent.size() + 2 + name_width + 2 + type_width + 2, ' ');
    line += shown;
    line.resize(indent.size() + 2 + name_width + 2 + type_width + 2 + default_width + 2, ' ');
    out << with_wrapped_text(line, text(p.doc), indent.size() + 4);
  }
}

nlohmann::json params_json(const op_param_def* params, uint32_t count) {
  nlohmann::json list = nlohmann::json::array();
  for (uint32_t i = 0; i < count; ++i) {
    const op_param_def& p = params[i];
    list.push_back({{"name", text(p.name)},
                    {"type", std::string(param_type_name(p.type))},
                    {"default", p.default_value != nullptr ? nlohmann::json(p.default_value)
                                                           : nlohmann::json(nullptr)},
                    {"required", p.required != 0},
                    {"doc", text(p.doc)}});
  }
  return list;
}

}  // namespace

std::string format_packs_text(const std::vector<LoadedPack>& packs) {
  std::ostringstream out;
  size_t failed = 0;
  for (const auto& pack : packs) {
    if (!pack.ok()) {
      ++failed;
      out << "FAILED  " << pack.file.string() << "\n  " << pack.error << "\n\n";
      continue;
    }
    const op_pack_descriptor& d = *pack.descriptor;
    out << d.name << " " << d.version << "  (ABI " << abi_text(d) << ")  " << pack.file.string()
        << "\n";
    if (d.description != nullptr && *d.description != '\0') {
      out << with_wrapped_text("  ", d.description, 2);
    }
    params_text(out, d.params, d.param_count, "  ");
    out << "  checks:\n";
    for (uint32_t i = 0; i < d.check_count; ++i) {
      const op_check_def& c = d.checks[i];
      out << "    " << c.name << "  [" << severity_name(c.default_severity) << ", interval "
          << (c.default_interval_ms == 0 ? "host default" : duration_text(c.default_interval_ms))
          << ", grace " << duration_text(c.default_grace_ms) << "]\n";
      if (c.description != nullptr && *c.description != '\0') {
        out << with_wrapped_text("      ", c.description, 6);
      }
      params_text(out, c.params, c.param_count, "      ");
    }
    out << "\n";
  }
  out << packs.size() - failed << " pack(s) loaded, " << failed << " failed\n";
  return out.str();
}

nlohmann::json packs_to_json(const std::vector<LoadedPack>& packs) {
  nlohmann::json list = nlohmann::json::array();
  size_t failed = 0;
  for (const auto& pack : packs) {
    nlohmann::json entry = {{"file", pack.file.string()}, {"loaded", pack.ok()}};
    if (!pack.ok()) {
      ++failed;
      entry["error"] = pack.error;
      list.push_back(std::move(entry));
      continue;
    }
    const op_pack_descriptor& d = *pack.descriptor;
    entry["name"] = text(d.name);
    entry["version"] = text(d.version);
    entry["abi"] = abi_text(d);
    entry["description"] = text(d.description);
    entry["params"] = params_json(d.params, d.param_count);
    nlohmann::json checks = nlohmann::json::array();
    for (uint32_t i = 0; i < d.check_count; ++i) {
      const op_check_def& c = d.checks[i];
      checks.push_back({{"name", text(c.name)},
                        {"description", text(c.description)},
                        {"severity", severity_name(c.default_severity)},
                        {"interval_ms", c.default_interval_ms},
                        {"grace_ms", c.default_grace_ms},
                        {"params", params_json(c.params, c.param_count)}});
    }
    entry["checks"] = std::move(checks);
    list.push_back(std::move(entry));
  }
  return {{"packs", std::move(list)}, {"failed", failed}};
}

}  // namespace opr::cli
