// A test-only process that writes a ticket database the way the monitor
// (or a person) does, so tests can run several writers at once.
//
//   tickets_writer DB monitor TARGET N   N runs of TARGET/check, each one
//                                        opening a new ticket and resolving
//                                        the previous one
//   tickets_writer DB person ID N        N holds/unholds of ticket ID
//   tickets_writer DB seed TARGET CHECK SUBJECT[=MESSAGE]...
//                                        one run reporting these
//
// Exits 0 when every write succeeded; otherwise prints the error, exits 1.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "tickets/ticket_store.h"

namespace {

using opr::tickets::ObservedViolation;
using opr::tickets::SuccessfulRun;

ObservedViolation violation(const std::string& subject, const std::string& message = "") {
  ObservedViolation v;
  v.subject = subject;
  v.message = message.empty() ? "violation on " + subject : message;
  v.severity = opr::Severity::critical;
  v.metric_snapshot = R"({"subject":")" + subject + R"(","value":42.5})";
  return v;
}

int usage() {
  std::cerr << "usage: tickets_writer DB monitor TARGET N | DB person ID N |"
               " DB seed TARGET CHECK SUBJECT...\n";
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
        store->apply_success(SuccessfulRun{args[2],
                                           "check",
                                           at,
                                           args[2] + "@" + std::to_string(i),
                                           {violation(std::to_string(i))}});
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
    } else if (mode == "seed" && args.size() >= 4) {
      SuccessfulRun run{args[2], args[3], opr::now_ms(), args[2] + "@seed", {}};
      for (size_t i = 4; i < args.size(); ++i) {
        const size_t equals = args[i].find('=');
        run.violations.push_back(
            equals == std::string::npos
                ? violation(args[i])
                : violation(args[i].substr(0, equals), args[i].substr(equals + 1)));
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
