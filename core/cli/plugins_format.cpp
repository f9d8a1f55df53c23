#include "cli/plugins_format.h"

#include <algorithm>
#include <chrono>
#include <sstream>

#include "cli/table.h"
#include "common/duration.h"
#include "common/param_value.h"
#include "common/redaction.h"
#include "common/severity.h"
#include "common/terminal_text.h"

namespace opr::cli {
namespace {

using plugins::LoadedPack;

std::string severity_name(int32_t severity) {
  const auto known = severity_from_abi(severity);
  return known ? std::string(to_string(*known)) : "unknown";
}

std::string abi_text(const PackDeclaration& d) {
  return std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor);
}

// A declared default as the host shows it: never a secret-named
// parameter's (is_secret_name), whatever its type.
std::string shown_default(const ParamDeclaration& p) {
  return is_secret_name(p.name) ? std::string(kMasked) : *p.default_value;
}

// What the table shows in the DEFAULT column: "required", "= 0.99", "-".
std::string default_text(const ParamDeclaration& p) {
  return p.required        ? "required"
         : p.default_value ? "= " + escape_for_terminal(shown_default(p))
                           : "-";
}

// The doc, and the range a value must be in: "... (range: > 0 and < 1)".
std::string doc_text(const ParamDeclaration& p) {
  if (p.bounds.empty()) return p.doc;
  return p.doc + " (range: " + p.bounds.describe() + ")";
}

// `line` padded with blanks to `column` terminal columns.
void pad_to(std::string& line, size_t column) {
  const size_t width = display_width(line);
  if (width < column) line.append(column - width, ' ');
}

constexpr size_t kWidth = 80;

// `prefix` followed by `text` (a pack's words: escaped here, its line
// breaks and tabs taken as blanks) wrapped at kWidth, continuation lines
// aligned under the first word; when the prefix leaves too little room
// (under 24 columns, or less than the longest word), the text starts on the
// next line at column `fallback_column` instead.
std::string with_wrapped_text(std::string prefix, const std::string& text, size_t fallback_column) {
  const std::string words = escape_for_terminal(text, TextLayout::lines);
  std::string out;
  size_t column = display_width(prefix);
  size_t longest_word = 0;
  std::istringstream scan(words);
  for (std::string word; scan >> word;) longest_word = std::max(longest_word, display_width(word));
  if ((column + 24 > kWidth || column + longest_word > kWidth) &&
      column + display_width(words) > kWidth) {
    while (!prefix.empty() && prefix.back() == ' ') prefix.pop_back();
    out = prefix + "\n";
    prefix.assign(fallback_column, ' ');
    column = fallback_column;
  }
  std::string line = prefix;
  std::istringstream in(words);
  bool first = true;
  for (std::string word; in >> word;) {
    if (!first && display_width(line) + 1 + display_width(word) > kWidth) {
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

void params_text(std::ostringstream& out, const std::vector<ParamDeclaration>& params,
                 const std::string& indent) {
  if (params.empty()) {
    out << indent << "parameters: none\n";
    return;
  }
  size_t name_width = 4, type_width = 4, default_width = 7;
  for (const auto& p : params) {
    name_width = std::max(name_width, display_width(escape_for_terminal(p.name)));
    type_width = std::max(type_width, param_type_name(p.type).size());
    default_width = std::max(default_width, display_width(default_text(p)));
  }
  out << indent << "parameters:\n";
  for (const auto& p : params) {
    std::string line = indent + "  " + escape_for_terminal(p.name);
    pad_to(line, indent.size() + 2 + name_width + 2);
    line += param_type_name(p.type);
    pad_to(line, indent.size() + 2 + name_width + 2 + type_width + 2);
    line += default_text(p);
    pad_to(line, indent.size() + 2 + name_width + 2 + type_width + 2 + default_width + 2);
    out << with_wrapped_text(line, doc_text(p), indent.size() + 4);
  }
}

nlohmann::json bound_json(const std::optional<ParamValue>& bound) {
  return bound ? nlohmann::json(format_param_value(*bound)) : nlohmann::json(nullptr);
}

nlohmann::json params_json(const std::vector<ParamDeclaration>& params) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& p : params) {
    list.push_back(
        {{"name", p.name},
         {"type", std::string(param_type_name(p.type))},
         {"default", p.default_value ? nlohmann::json(shown_default(p)) : nlohmann::json(nullptr)},
         {"secret", is_secret_name(p.name)},
         {"required", p.required},
         {"doc", p.doc},
         {"min", bound_json(p.bounds.min)},
         {"min_exclusive", p.bounds.min_exclusive},
         {"max", bound_json(p.bounds.max)},
         {"max_exclusive", p.bounds.max_exclusive}});
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
      out << "FAILED  " << escape_for_terminal(pack.file.string()) << "\n  "
          << escape_for_terminal(pack.error) << "\n\n";
      continue;
    }
    const PackDeclaration& d = *pack.declaration;
    out << escape_for_terminal(d.name) << " " << escape_for_terminal(d.version) << "  (ABI "
        << abi_text(d) << ")  " << escape_for_terminal(pack.file.string()) << "\n";
    if (!d.description.empty()) out << with_wrapped_text("  ", d.description, 2);
    params_text(out, d.params, "  ");
    out << "  checks:\n";
    for (const CheckDeclaration& c : d.checks) {
      out << "    " << escape_for_terminal(c.name) << "  [" << severity_name(c.default_severity)
          << ", interval "
          << (c.default_interval.count() == 0 ? "host default"
                                              : format_duration(c.default_interval))
          << ", grace " << format_duration(c.default_grace) << "]\n";
      if (!c.description.empty()) out << with_wrapped_text("      ", c.description, 6);
      params_text(out, c.params, "      ");
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
    const PackDeclaration& d = *pack.declaration;
    entry["name"] = d.name;
    entry["version"] = d.version;
    entry["abi"] = abi_text(d);
    entry["description"] = d.description;
    entry["params"] = params_json(d.params);
    nlohmann::json checks = nlohmann::json::array();
    for (const CheckDeclaration& c : d.checks) {
      checks.push_back({{"name", c.name},
                        {"description", c.description},
                        {"severity", severity_name(c.default_severity)},
                        {"interval_ms", c.default_interval.count()},
                        {"grace_ms", c.default_grace.count()},
                        {"params", params_json(c.params)}});
    }
    entry["checks"] = std::move(checks);
    list.push_back(std::move(entry));
  }
  return {{"packs", std::move(list)}, {"failed", failed}};
}

}  // namespace opr::cli
