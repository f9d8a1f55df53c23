// `operator-host --once --json`: what the plugin's text says, as JSON.
#include "cli/plugin_output.h"
#include "common/time_format.h"

namespace opr::cli {
namespace {

nlohmann::ordered_json check_json(const engine::CheckReport& report) {
  nlohmann::ordered_json violations = nlohmann::ordered_json::array();
  for (const auto& v : report.violations) {
    violations.push_back(
        {{"subject", v.subject},
         {"message", v.message},
         {"severity", to_string(v.severity)},
         {"in_grace_until",
          v.in_grace_until ? nlohmann::ordered_json(format_utc(*v.in_grace_until)) : nullptr}});
  }
  nlohmann::ordered_json unknown = nlohmann::ordered_json::array();
  for (const auto& u : report.unknown) {
    unknown.push_back({{"subject", u.subject}, {"reason", u.reason}});
  }
  return {{"target", report.target},
          {"check", report.check},
          {"outcome", to_string(check_outcome(report))},
          {"duration_ms", report.duration.count()},
          {"error", report.ok ? nullptr : nlohmann::ordered_json(report.error)},
          {"cause", report.cause.empty() ? nullptr : nlohmann::ordered_json(report.cause)},
          {"violations", violations},
          {"unknown", unknown}};
}

}  // namespace

nlohmann::ordered_json plugin_json(const std::vector<engine::CheckReport>& reports, int code) {
  const PluginTally t = plugin_tally(reports);
  nlohmann::ordered_json checks = nlohmann::ordered_json::array();
  for (const auto& report : reports) checks.push_back(check_json(report));
  return {{"state", plugin_state(code)},
          {"exit_code", code},
          {"summary",
           {{"checks", reports.size()},
            {"failed", t.failed},
            {"violated", t.violated},
            {"pending", t.pending},
            {"unknown", t.unknown},
            {"ok", t.ok},
            {"violations", t.violations},
            {"pending_violations", t.pending_violations},
            {"unknown_subjects", t.unknown_subjects}}},
          {"checks", checks}};
}

}  // namespace opr::cli
