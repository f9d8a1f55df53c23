#include "exec_target.h"

#include <cstdlib>

#include "program.h"

namespace opr::exec {
namespace {

Mode read_mode(const std::string& mode) {
  if (mode == "nagios") return Mode::kNagios;
  if (mode == "lines") return Mode::kLines;
  throw sdk::ParamError("mode", "mode '" + mode +
                                    "' is not a protocol: write nagios (exit codes and "
                                    "performance data) or lines (one JSON object per line)");
}

void refuse(const std::optional<Refusal>& refusal) {
  if (refusal) throw sdk::ParamError(refusal->param, refusal->message);
}

std::vector<sdk::Fact> sdk_facts(const std::vector<Fact>& facts) {
  std::vector<sdk::Fact> out;
  out.reserve(facts.size());
  for (const auto& fact : facts) out.push_back({fact.key, fact.value, fact.is_number});
  return out;
}

}  // namespace

ExecTarget::ExecTarget(const sdk::Host&, const sdk::Params& params) {
  mode_ = read_mode(params.string("mode"));
  spec_.workdir = params.optional_string("workdir").value_or("");
  refuse(check_workdir(spec_.workdir));
  refuse(child_environment(params.string_list("env"), std::getenv("PATH"), std::getenv("LANG"),
                           std::getenv("LC_ALL"), std::getenv("TZ"), spec_.env));
  spec_.argv = params.string_list("command");
  // The name is looked up in the PATH the program itself gets.
  refuse(resolve_program(spec_.argv, *environment_value(spec_.env, "PATH"), spec_.workdir,
                         spec_.program));
  spec_.max_output = static_cast<size_t>(params.integer("max_output_bytes"));
}

void StatusCheck::run(ExecTarget& target, sdk::Run& run) {
  const ProcessResult result = run_process(target.spec(), [&run] { return run.cancelled(); });
  const Outcome outcome = read_run(target.mode(), result, target.spec().max_output);
  if (!outcome.failure.empty()) throw sdk::CheckFailed(outcome.failure);
  for (const auto& fact : sdk_facts(outcome.run_facts)) run.fact(fact);
  for (const auto& unknown : outcome.unknown) run.unknown(unknown.subject, unknown.reason);
  for (const auto& finding : outcome.findings) {
    run.report(finding.subject, finding.message, sdk_facts(finding.facts),
               static_cast<op_severity>(finding.level));
  }
}

}  // namespace opr::exec
