// A program's output as the exec pack reads it: the input's first byte is
// the exit status, the rest is stdout, read by the nagios protocol and by
// the lines protocol. Nothing a program prints may crash either.
#include <operator/json_number.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "perfdata.h"
#include "reading.h"

namespace {

// Every fact that says it is a number is one JSON can hold.
void check_facts(const std::vector<opr::exec::Fact>& facts) {
  for (const auto& fact : facts) {
    if (fact.is_number && !opr::sdk::is_finite_json_number(fact.value)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int exit_code = data[0];
  const std::string_view out(reinterpret_cast<const char*>(data) + 1, size - 1);

  const auto nagios = opr::exec::read_nagios(exit_code, out, out);
  // A run fails exactly on exit 3 and above; 1 and 2 give one finding.
  if (nagios.failure.empty() != (exit_code < 3)) std::abort();
  if ((exit_code == 1 || exit_code == 2) != (nagios.findings.size() == 1)) std::abort();
  check_facts(nagios.run_facts);
  for (const auto& finding : nagios.findings) check_facts(finding.facts);

  const auto lines = opr::exec::read_lines(out);
  // A failed reading reports nothing.
  if (!lines.failure.empty() && (!lines.findings.empty() || !lines.unknown.empty())) std::abort();
  for (const auto& finding : lines.findings) check_facts(finding.facts);

  const auto perfdata = opr::exec::parse_perfdata(out);
  check_facts(opr::exec::perfdata_facts(perfdata.items));
  return 0;
}
