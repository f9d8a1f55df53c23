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

int in_grace(const engine::CheckReport& report) {
  return static_cast<int>(
      std::count_if(report.violations.begin(), report.violations.end(),
                    [](const auto& v) { return v.in_grace_until.has_value(); }));
}

std::string summary(const PluginTally& t, std::size_t checks) {
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
    out << "FAILED " << name << ": " << plugin_text(report.error);
    if (!report.cause.empty()) out << " (cause " << plugin_text(report.cause) << ")";
    out << "\n";
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

CheckOutcome check_outcome(const engine::CheckReport& report) {
  if (!report.ok) return CheckOutcome::failed;
  if (report.violations.empty()) {
    return report.unknown.empty() ? CheckOutcome::ok : CheckOutcome::unknown;
  }
  return static_cast<std::size_t>(in_grace(report)) == report.violations.size()
             ? CheckOutcome::pending
             : CheckOutcome::violated;
}

std::string_view to_string(CheckOutcome outcome) {
  switch (outcome) {
    case CheckOutcome::failed:
      return "failed";
    case CheckOutcome::violated:
      return "violated";
    case CheckOutcome::pending:
      return "pending";
    case CheckOutcome::unknown:
      return "unknown";
    case CheckOutcome::ok:
      break;
  }
  return "ok";
}

PluginTally plugin_tally(const std::vector<engine::CheckReport>& reports) {
  PluginTally t;
  for (const auto& report : reports) {
    t.unknown_subjects += static_cast<int>(report.unknown.size());
    const CheckOutcome outcome = check_outcome(report);
    ++(outcome == CheckOutcome::failed     ? t.failed
       : outcome == CheckOutcome::violated ? t.violated
       : outcome == CheckOutcome::pending  ? t.pending
       : outcome == CheckOutcome::unknown  ? t.unknown
                                           : t.ok);
    if (outcome == CheckOutcome::failed) continue;
    t.violations += static_cast<int>(report.violations.size());
    t.pending_violations += in_grace(report);
  }
  return t;
}

std::string_view plugin_state(int code) {
  static constexpr const char* kState[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
  return kState[std::clamp(code, kPluginOk, kPluginUnknown)];
}

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
  const PluginTally t = plugin_tally(reports);
  std::ostringstream out;
  out << plugin_state(code) << " - " << summary(t, reports.size())
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
