#include "packtest/outcome_compare.h"

#include <algorithm>

#include "common/terminal_text.h"

namespace opr::packtest {
namespace {

std::string shown(const std::string& text) { return "'" + escape_for_terminal(text) + "'"; }

std::string listed(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + shown(items[i]);
  return out + "]";
}

std::string subject_name(const std::string& subject) {
  return subject.empty() ? "the target" : shown(subject);
}

void compare_violation(const ExpectedViolation& want, const plugins::ReportedViolation& got,
                       Severity configured, std::vector<std::string>& out) {
  const std::string what = "violation " + subject_name(want.subject);
  const Severity severity = effective_severity(got.severity, configured);
  if (want.severity && *want.severity != severity) {
    out.push_back(what + ": severity: expected " + std::string(to_string(*want.severity)) +
                  ", got " + std::string(to_string(severity)));
  }
  if (want.message && !want.message->matches(got.message)) {
    out.push_back(what + ": message: expected " + escape_for_terminal(want.message->describe()) +
                  ", got " + shown(got.message));
  }
  for (const auto& [key, value] : want.facts) {
    const auto fact = std::find_if(got.facts.begin(), got.facts.end(),
                                   [&](const plugins::Fact& f) { return f.key == key; });
    if (fact == got.facts.end()) {
      out.push_back(what + ": fact " + shown(key) + ": expected " + shown(value) + ", got none");
    } else if (fact->value != value) {
      out.push_back(what + ": fact " + shown(key) + ": expected " + shown(value) + ", got " +
                    shown(fact->value));
    }
  }
}

void compare_violations(const Expectation& expect, const plugins::RunResult& result,
                        Severity configured, std::vector<std::string>& out) {
  for (const auto& want : expect.violations) {
    const auto got = std::find_if(
        result.violations.begin(), result.violations.end(),
        [&](const plugins::ReportedViolation& v) { return v.subject == want.subject; });
    if (got == result.violations.end()) {
      out.push_back("violation " + subject_name(want.subject) + ": expected, got none");
    } else {
      compare_violation(want, *got, configured, out);
    }
  }
  for (const auto& got : result.violations) {
    const bool expected =
        std::any_of(expect.violations.begin(), expect.violations.end(),
                    [&](const ExpectedViolation& v) { return v.subject == got.subject; });
    if (!expected) {
      out.push_back("violation " + subject_name(got.subject) + ": expected none, got " +
                    std::string(to_string(effective_severity(got.severity, configured))) + " " +
                    shown(got.message));
    }
  }
}

std::vector<std::string> unknown_subjects(const plugins::RunResult& result) {
  std::vector<std::string> subjects;
  for (const auto& unknown : result.unknown) subjects.push_back(unknown.subject);
  return subjects;
}

}  // namespace

std::vector<std::string> compare_outcome(const Expectation& expect,
                                         const plugins::RunResult& result, Severity configured) {
  std::vector<std::string> out;
  if (expect.failed) {
    if (result.ok) {
      out.push_back("failed: expected " + escape_for_terminal(expect.failed->describe()) +
                    ", got a successful run");
    } else if (!expect.failed->matches(result.error)) {
      out.push_back("failed: expected " + escape_for_terminal(expect.failed->describe()) +
                    ", got " + shown(result.error));
    }
    return out;
  }
  if (!result.ok) {
    out.push_back("failed: expected a successful run, got " + shown(result.error));
    return out;
  }
  compare_violations(expect, result, configured, out);
  std::vector<std::string> want = expect.unknown;
  std::vector<std::string> got = unknown_subjects(result);
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  if (want != got) out.push_back("unknown: expected " + listed(want) + ", got " + listed(got));
  return out;
}

std::vector<std::string> compare_tickets(const std::vector<ExpectedTicket>& expected,
                                         const std::vector<tickets::Ticket>& open,
                                         const std::string& check) {
  // A ticket by its subject, or "CHECK/SUBJECT" when not the tested check's.
  const auto name = [&](const std::string& of, const std::string& subject) {
    return of == check ? subject : of + "/" + subject;
  };
  std::vector<std::string> want;
  std::vector<std::string> got;
  for (const auto& ticket : open) got.push_back(name(ticket.check, ticket.subject));
  for (const auto& ticket : expected) {
    want.push_back(name(ticket.check.value_or(check), ticket.subject));
  }
  std::vector<std::string> out;
  {
    std::vector<std::string> a = want, b = got;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a != b) out.push_back("tickets: expected " + listed(want) + ", got " + listed(got));
  }
  for (const auto& ticket : expected) {
    if (!ticket.severity) continue;
    for (const auto& found : open) {
      if (found.check == ticket.check.value_or(check) && found.subject == ticket.subject &&
          found.severity != *ticket.severity) {
        out.push_back("ticket " + shown(name(found.check, found.subject)) +
                      ": severity: expected " + std::string(to_string(*ticket.severity)) +
                      ", got " + std::string(to_string(found.severity)));
      }
    }
  }
  return out;
}

}  // namespace opr::packtest
