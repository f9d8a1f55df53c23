#include "perfdata.h"

#include <charconv>
#include <cmath>
#include <system_error>

#include "text.h"

namespace opr::exec {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

// A number, all of `text`: digits with an optional sign, point and exponent.
// No "inf" or "nan", which from_chars would take.
std::optional<double> number_prefix(std::string_view text, size_t& used) {
  size_t start = 0;
  if (!text.empty() && text[0] == '+') start = 1;  // from_chars takes no '+'
  if (start >= text.size()) return std::nullopt;
  const char first = text[start];
  if (!((first >= '0' && first <= '9') || first == '-' || first == '.')) return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(text.data() + start, text.data() + text.size(), value);
  if (error != std::errc() || !std::isfinite(value)) return std::nullopt;
  used = static_cast<size_t>(end - text.data());
  return value;
}

std::optional<double> whole_number(std::string_view text) {
  size_t used = 0;
  auto value = number_prefix(text, used);
  if (!value || used != text.size()) return std::nullopt;
  return value;
}

bool is_unit(std::string_view unit) {
  for (const char c : unit) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '%')) return false;
  }
  return true;
}

// A threshold range as the guidelines write it: [@][start:][end], start
// possibly ~ (minus infinity).
bool is_range(std::string_view range) {
  if (!range.empty() && range[0] == '@') range.remove_prefix(1);
  const size_t colon = range.find(':');
  std::string_view start = colon == std::string_view::npos ? "" : range.substr(0, colon);
  std::string_view end = colon == std::string_view::npos ? range : range.substr(colon + 1);
  if (colon == std::string_view::npos && end.empty()) return false;
  if (!start.empty() && start != "~" && !whole_number(start)) return false;
  return end.empty() || whole_number(end).has_value();
}

std::vector<std::string_view> split_fields(std::string_view token) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    const size_t semicolon = token.find(';', start);
    fields.push_back(token.substr(
        start, semicolon == std::string_view::npos ? std::string_view::npos : semicolon - start));
    if (semicolon == std::string_view::npos) return fields;
    start = semicolon + 1;
  }
}

// The fields after '=' of one item into `item`; "" when they parse, else why not.
std::string read_fields(std::string_view token, Perfdatum& item) {
  const std::vector<std::string_view> fields = split_fields(token);
  if (fields.size() > 5) return "more than 5 fields (value;warn;crit;min;max)";
  const std::string_view value = fields[0];
  if (value.empty()) return "no value";
  if (value != "U") {
    size_t used = 0;
    item.value = number_prefix(value, used);
    if (!item.value) return "value '" + std::string(value) + "' is not a number";
    item.unit = std::string(value.substr(used));
    if (!is_unit(item.unit)) return "unit '" + item.unit + "' is not a unit of measurement";
  }
  for (size_t i = 1; i < 3 && i < fields.size(); ++i) {
    if (fields[i].empty()) continue;
    if (!is_range(fields[i])) {
      return std::string(i == 1 ? "warn" : "crit") + " '" + std::string(fields[i]) +
             "' is not a range";
    }
    (i == 1 ? item.warn : item.crit) = std::string(fields[i]);
  }
  for (size_t i = 3; i < fields.size(); ++i) {
    if (fields[i].empty()) continue;
    auto bound = whole_number(fields[i]);
    if (!bound) {
      return std::string(i == 3 ? "min" : "max") + " '" + std::string(fields[i]) +
             "' is not a number";
    }
    (i == 3 ? item.min : item.max) = bound;
  }
  return "";
}

Fact threshold_fact(const std::string& key, const std::string& range) {
  if (auto value = whole_number(range)) return {key, number_text(*value), true};
  return {key, range, false};
}

}  // namespace

PerfdataReading parse_perfdata(std::string_view text) {
  PerfdataReading reading;
  size_t at = 0;
  auto note = [&](size_t start, size_t end, const std::string& why) {
    reading.notes.push_back("'" + excerpt(text.substr(start, end - start), 60) + "': " + why);
  };
  auto token_end = [&](size_t from) {
    while (from < text.size() && !is_space(text[from])) ++from;
    return from;
  };
  while (true) {
    while (at < text.size() && is_space(text[at])) ++at;
    if (at >= text.size()) break;
    const size_t start = at;
    Perfdatum item;
    if (text[at] == '\'') {
      bool closed = false;
      for (++at; at < text.size(); ++at) {
        if (text[at] != '\'') {
          item.label += text[at];
        } else if (at + 1 < text.size() && text[at + 1] == '\'') {
          item.label += '\'';  // '' is a quote inside the label
          ++at;
        } else {
          closed = true;
          ++at;
          break;
        }
      }
      if (!closed) {
        note(start, text.size(), "the quoted label is not closed");
        break;
      }
    } else {
      while (at < text.size() && text[at] != '=' && !is_space(text[at])) item.label += text[at++];
    }
    if (at >= text.size() || text[at] != '=') {
      at = token_end(at);
      note(start, at, "no '=' after the label (write label=value)");
      continue;
    }
    const size_t value_start = ++at;
    at = token_end(at);
    if (item.label.empty()) {
      note(start, at, "the label is empty");
      continue;
    }
    const std::string why = read_fields(text.substr(value_start, at - value_start), item);
    if (!why.empty()) {
      note(start, at, why);
      continue;
    }
    reading.items.push_back(std::move(item));
  }
  return reading;
}

std::vector<Fact> perfdata_facts(const std::vector<Perfdatum>& items) {
  std::vector<Fact> facts;
  for (const Perfdatum& item : items) {
    const std::string& key = item.label;
    if (item.value) {
      facts.push_back({key, number_text(*item.value), true});
    } else {
      facts.push_back({key, "U", false});
    }
    if (!item.unit.empty()) facts.push_back({key + ".unit", item.unit, false});
    if (!item.warn.empty()) facts.push_back(threshold_fact(key + ".warn", item.warn));
    if (!item.crit.empty()) facts.push_back(threshold_fact(key + ".crit", item.crit));
    if (item.min) facts.push_back({key + ".min", number_text(*item.min), true});
    if (item.max) facts.push_back({key + ".max", number_text(*item.max), true});
  }
  return facts;
}

}  // namespace opr::exec
