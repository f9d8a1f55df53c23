// Recording a cycle of the monitor (POST /-/record, `--once --record`): the
// next run of every enabled check, each on a pack instance of its own with
// its HTTP exchanges kept, handed to a sink that writes them as `plugins
// test` files. The runs count as usual: their tickets are written.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/pack_declaration.h"
#include "config/config.h"
#include "engine/ownership.h"
#include "engine/targets.h"
#include "http/exchange.h"
#include "plugins/pack_instance.h"

namespace opr::engine {

// One check's recorded run. Valid for the call to the sink only.
struct RecordedCheck {
  const config::TargetConfig& target;
  const config::CheckConfig& check;
  const PackDeclaration& pack;
  const plugins::RunResult& result;
  std::vector<http::Exchange> exchanges;  // in the order they ended
  // Set: why there is nothing to write (the instance for the recording was
  // refused, the run timed out, the monitor stopped); `result` and
  // `exchanges` are then incomplete.
  std::optional<std::string> not_recorded;
};

// Called on the engine's thread.
struct RecordSink {
  // Once per check armed, when its run ends (or cannot be recorded).
  std::function<void(const RecordedCheck&)> recorded;
  // Once, when every armed check was handed over, or the recording was
  // dropped: `never_ran` ("target/check") were armed and did not run (a
  // reload removed them, the monitor stopped).
  std::function<void(const std::vector<std::string>& never_ran)> finished;
};

// The recording under way, if any: its sink, the checks ("target/check")
// whose next run it still waits for, and how many of its runs are out (taken
// and not yet told). Lives on the engine's thread; the engine decides when
// runs start and when to look whether the recording is done.
class CycleRecording {
 public:
  // Starts a recording of the next run of every enabled check of `targets`
  // this host owns (all of them when `ownership` is null).
  void arm(RecordSink sink, const Targets& targets, const Ownership* ownership);
  bool armed() const { return sink_.has_value(); }

  // True when the next run of `check` is to be recorded.
  bool wants(const std::string& check) const { return pending_.count(check) > 0; }
  // The next run of `check` starts now: true when it is recorded, and the
  // recording then waits until it is told of it (told() or lost()).
  bool take(const std::string& check);
  // `check` will not run here (another host runs it now): true when the
  // recording waited for it, and does not any more (finished() names it).
  bool skip(const std::string& check);

  // A recorded run's outcome, for the sink.
  void told(const RecordedCheck& check);
  // A recorded run ended that cannot be handed over: the config no longer
  // has its check (`check`: "target/check").
  void lost(const std::string& check);

  // After a reload: stops waiting for the checks `targets` no longer has
  // enabled, and returns them (finished() names them too).
  std::vector<std::string> drop_missing(const Targets& targets);
  // At shutdown: stops waiting for anything (recorded runs still out are
  // abandoned) and returns the checks that never ran (finished() names
  // them too).
  std::vector<std::string> abandon();

  // Ends the recording when no armed check waits to run and no recorded run
  // is out: its sink hears finished() with every armed check that did not
  // run, whenever it was given up. True when it ended now.
  bool end_if_done();

 private:
  std::optional<RecordSink> sink_;
  std::set<std::string> pending_;
  std::vector<std::string> never_ran_;  // given up: skipped, dropped, abandoned
  std::size_t out_ = 0;
};

}  // namespace opr::engine
