// The exec pack's declaration: its parameters and its one check, in the
// table that the host validates configs against and `plugins list` prints.
//
// One target is one program. The ABI gives a pack a fixed set of checks,
// and create() sees only the target's parameters: with the command at the
// target, a program that is missing or not executable is refused when the
// instance is created (by `config check`, at the line that names it), and
// the target's name is what tickets and `tickets list` show for it.
#include <operator/plugin.hpp>

#include "exec_target.h"

namespace opr::exec {
namespace {

const sdk::Pack<ExecTarget>& exec_pack() {
  static const sdk::Pack<ExecTarget> pack =
      sdk::PackBuilder<ExecTarget>("exec", "1.0.0",
                                   "Any program as a check: Nagios plugins, or scripts "
                                   "reporting one JSON line per subject")
          .param({.name = "command",
                  .type = OP_PARAM_STRING_LIST,
                  .required = true,
                  .doc = "the program and its arguments, run without a shell, e.g. "
                         "[/usr/lib/nagios/plugins/check_tcp, -H, db1, -p, '5432']"})
          .param({.name = "mode",
                  .default_value = "nagios",
                  .doc = "nagios (exit 0-3, first line, perfdata) or lines (a JSON "
                         "object per line, per subject)"})
          .param({.name = "env",
                  .type = OP_PARAM_STRING_LIST,
                  .doc = "NAME=value entries added to the program's environment"})
          .param({.name = "workdir", .doc = "the folder the program runs in (absolute)"})
          .param({.name = "max_output_bytes",
                  .type = OP_PARAM_INT,
                  .default_value = "65536",
                  .doc = "more stdout and stderr than this fails the run",
                  .min_value = "1024",
                  .max_value = "16777216"})
          .check<StatusCheck>({.name = "status",
                               .description = "the target's program runs and reports no problem",
                               .severity = OP_SEVERITY_WARNING})
          .build();
  return pack;
}

}  // namespace
}  // namespace opr::exec

OPR_EXPORT_PACK(opr::exec::exec_pack)
