// Where a target's pack instance lives: in a runner process of its own
// (isolation: process) or in the host (isolation: in_process). The engine
// and `config check` make instances only through make_instance.
#pragma once

#include <memory>

#include "config/config.h"
#include "isolation/runner.h"
#include "plugins/pack_instance.h"

namespace opr::http {
class Client;
}

namespace opr::engine {

// How runners are started with `limits`, forwarding what the host logs at
// its current level.
isolation::RunnerOptions runner_options(const config::RunnerLimitsConfig& limits);

// Creates `target`'s instance of `pack` on the calling thread. Throws
// plugins::InstanceError with what create() refused, and
// isolation::RunnerFailure when the target's runner died, hung or broke the
// protocol before it had an instance. `http` serves in-process instances
// (a runner has a client of its own).
std::shared_ptr<plugins::Instance> make_instance(const config::TargetConfig& target,
                                                 std::shared_ptr<const plugins::LoadedPack> pack,
                                                 std::shared_ptr<http::Client> http);

// How much longer than its timeout a call into `target`'s instance may take
// before the engine stops waiting: 0 in-process (the engine's own timeout
// rules), isolation::kCallOverrun for a runner, which ends every call
// itself.
std::chrono::milliseconds call_overrun(const config::TargetConfig& target);

}  // namespace opr::engine
