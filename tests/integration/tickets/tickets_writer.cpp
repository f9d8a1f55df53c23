// A test-only process that writes a ticket database the way the monitor
// (or a person) does, so tests can run several writers at once.
//
//   tickets_writer DB monitor TARGET N   N runs of TARGET/check, each one
//                                        opening a new ticket and resolving
//                                        the previous one
//   tickets_writer DB person ID N        N holds/unholds of ticket ID
//   tickets_writer DB seed TARGET CHECK SUBJECT[=MESSAGE]...
//                                        one run reporting these
//   tickets_writer DB seed-as SEVERITY AGO TARGET CHECK SUBJECT[=MESSAGE]...
//                                        the same, of this severity, run AGO
//                                        (a duration: 3h) before now
//   tickets_writer DB unknown TARGET CHECK SUBJECT[=REASON]...
//                                        one run that could not see these
//                                        (marked at once: no interval)
//
// Exits 0 when every write succeeded; otherwise prints the error, exits 1.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "common/duration.h"
#include "tickets/ticket_store.h"

namespace {

using opr::tickets::ObservedViolation;
using opr::tickets::SuccessfulRun;

ObservedViolation violation(const std::string& subject, const std::string& message = "",
                            opr::Severity severity = opr::Severity::critical) {
  ObservedViolation v;
  v.subject = subject;
  v.message = message.empty() ? "violation on " + subject : message;
  v.severity = severity;
  v.metric_snapshot = R"({"subject":")" + subject + R"(","value":42.5})";
  return v;
}

int usage() {
  std::cerr << "usage: tickets_writer DB monitor TARGET N | DB person ID N |"
               " DB seed|unknown TARGET CHECK SUBJECT... |"
               " DB seed-as SEVERITY AGO TARGET CHECK SUBJECT...\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return usage();
  const std::vector<std::string> args(argv + 1, argv + argc);
  const std::string& mode = args[1];
  try {
    auto store = opr::tickets::TicketStore::open(args[0]);
    if (mode == "monitor" && args.size() == 4) {
      const int n = std::stoi(args[3]);
      const opr::TimePoint start = opr::now_ms();
      for (int i = 0; i < n; ++i) {
        const opr::TimePoint at = start + std::chrono::milliseconds(i);
        SuccessfulRun run;
        run.target = args[2];
        run.check = "check";
        run.at = at;
        run.batch_key = args[2] + "@" + std::to_string(i);
        run.violations = {violation(std::to_string(i))};
        store->apply_success(run);
      }
    } else if (mode == "person" && args.size() == 4) {
      const int64_t id = std::stoll(args[2]);
      const int n = std::stoi(args[3]);
      for (int i = 0; i < n; ++i) {
        if (i % 2 == 0) {
          store->hold(id, "tester", "write " + std::to_string(i));
        } else {
          store->unhold(id, "tester", "write " + std::to_string(i));
        }
      }
    } else if ((mode == "seed" || mode == "unknown" || mode == "seed-as") && args.size() >= 4) {
      // seed-as: two more words before the target.
      const size_t first = mode == "seed-as" ? 4 : 2;
      auto severity = opr::Severity::critical;
      SuccessfulRun run;
      run.at = opr::now_ms();
      if (mode == "seed-as") {
        const auto level = opr::parse_severity(args[2]);
        const auto ago = opr::parse_duration(args[3]);
        if (!level || !ago || args.size() < 6) return usage();
        severity = *level;
        run.at -= *ago;
      }
      run.target = args[first];
      run.check = args[first + 1];
      run.batch_key = run.target + "@seed";
      for (size_t i = first + 2; i < args.size(); ++i) {
        const size_t equals = args[i].find('=');
        const std::string subject = args[i].substr(0, equals);
        const std::string text = equals == std::string::npos ? "" : args[i].substr(equals + 1);
        if (mode != "unknown") {
          run.violations.push_back(violation(subject, text, severity));
        } else {
          run.unknown.push_back({subject, text.empty() ? "no data for " + subject : text});
        }
      }
      store->apply_success(run);
    } else {
      return usage();
    }
  } catch (const std::exception& e) {
    std::cerr << "tickets_writer: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
