#include "cli/plugin_output.h"

#include <algorithm>
#include <sstream>

#include "common/terminal_text.h"
#include "common/time_format.h"

namespace opr::cli {
namespace {

// Text from outside (names, what packs reported) on one line: escaped, and
// with no '|', which would start performance data in the middle of a
// detail line. U+00A6 BROKEN BAR reads the same.
std::string plugin_text(std::string_view text) {
  const std::string escaped = escape_for_terminal(text);
  std::string out;
  out.reserve(escaped.size());
  for (char c : escaped) {
    if (c == '|') {
      out += "\u00a6";
    } else {
      out += c;
    }
  }
  return out;
}

// How many checks ended each way; every check counts once, by its worst
// outcome.
struct Tally {
  int failed = 0;
  int violated = 0;  // at least one violation past its grace
  int pending = 0;   // violations, every one inside its grace
  int unknown = 0;   // no violation, but subjects it could not see
  int ok = 0;
  int violations = 0;          // every violation reported, pending ones included
  int pending_violations = 0;  // those inside their grace
  int unknown_subjects = 0;
};

Tally tally(const std::vector<engine::CheckReport>& reports) {
  Tally t;
  for (const auto& report : reports) {
    t.unknown_subjects += static_cast<int>(report.unknown.size());
    if (!report.ok) {
      ++t.failed;
      continue;
    }
    const auto in_grace = std::count_if(report.violations.begin(), report.violations.end(),
                                        [](const auto& v) { return v.in_grace_until.has_value(); });
    t.violations += static_cast<int>(report.violations.size());
    t.pending_violations += static_cast<int>(in_grace);
    if (report.violations.empty()) {
      ++(report.unknown.empty() ? t.ok : t.unknown);
    } else {
      ++(static_cast<std::size_t>(in_grace) == report.violations.size() ? t.pending : t.violated);
    }
  }
  return t;
}

std::string summary(const Tally& t, std::size_t checks) {
  std::string text;
  for (const auto& [count, word] : {std::pair{t.failed, "failed"},
                                    {t.violated, "violated"},
                                    {t.pending, "pending"},
                                    {t.unknown, "unknown"},
                                    {t.ok, "ok"}}) {
    if (count == 0) continue;
    text += (text.empty() ? "" : ", ") + std::to_string(count) + " " + word;
  }
  return checks == 0 ? "no enabled checks" : text;
}

void detail_lines(std::ostream& out, const engine::CheckReport& report) {
  const std::string name = plugin_text(report.target + "/" + report.check);
  if (!report.ok) {
    out << "FAILED " << name << ": " << plugin_text(report.error) << "\n";
    return;
  }
  if (report.violations.empty() && report.unknown.empty()) {
    out << "OK " << name << " (" << report.duration.count() << " ms)\n";
    return;
  }
  for (const auto& v : report.violations) {
    out << (v.in_grace_until ? "PENDING " : "VIOLATION ") << name << ": ";
    if (!v.subject.empty()) out << plugin_text(v.subject) << ": ";
    out << plugin_text(v.message) << " (" << to_string(v.severity);
    if (v.in_grace_until) out << ", in grace until " << format_utc(*v.in_grace_until);
    out << ")\n";
  }
  // Not seen is not healthy: each subject the run could not evaluate.
  for (const auto& u : report.unknown) {
    out << "UNKNOWN " << name << ": ";
    if (!u.subject.empty()) out << plugin_text(u.subject) << ": ";
    out << plugin_text(u.reason) << "\n";
  }
}

}  // namespace

int plugin_exit_code(const std::vector<engine::CheckReport>& reports) {
  int code = kPluginOk;
  bool blind = false;
  for (const auto& report : reports) {
    if (!report.ok) return kPluginUnknown;
    blind = blind || !report.unknown.empty();
    for (const auto& violation : report.violations) {
      code = std::max(code,
                      violation.severity == Severity::critical ? kPluginCritical : kPluginWarning);
    }
  }
  return code == kPluginOk && blind ? kPluginUnknown : code;
}

std::string perfdata_label(std::string_view name) {
  std::string label(name);
  bool plain = !label.empty();
  for (char& c : label) {
    if (c == '\'' || c == '=' || c == '|') c = '_';
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    plain = plain && word;
  }
  return plain ? label : "'" + label + "'";
}

std::string plugin_output(const std::vector<engine::CheckReport>& reports, int code) {
  static constexpr const char* kState[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
  const Tally t = tally(reports);
  std::ostringstream out;
  out << kState[std::clamp(code, kPluginOk, kPluginUnknown)] << " - " << summary(t, reports.size())
      << " | violations=" << t.violations << ";;;0 pending=" << t.pending_violations
      << ";;;0 failed=" << t.failed << ";;;0 unknown=" << t.unknown_subjects << ";;;0";
  // Each check's run time; the label is escaped first, so it holds no
  // control character either.
  for (const auto& report : reports) {
    out << " " << perfdata_label(escape_for_terminal(report.target + "/" + report.check)) << "="
        << report.duration.count() << "ms;;;0";
  }
  out << "\n";
  for (const auto& report : reports) detail_lines(out, report);
  return out.str();
}

std::string plugin_unknown_line(std::string_view message) {
  const std::string_view first = message.substr(0, message.find('\n'));
  return "UNKNOWN - " + plugin_text(first) + "\n";
}

}  // namespace opr::cli
