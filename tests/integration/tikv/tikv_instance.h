// The built tikv pack run by the host's own code, in this process: loaded by
// plugins::load_pack, a target's YAML resolved by the config reader against
// the pack's declaration, and an instance created and run by
// plugins::PackInstance. For tests of the pack's code (the descriptor,
// tikv_target, checks) that read a run's whole result (facts, unknown
// subjects, the pack's log lines) or keep one instance across runs, which
// operator-host's output does not show.
#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "plugins/pack_instance.h"
#include "plugins/pack_loader.h"
#include "test_support.h"

namespace opr::test {

// packs/tikv.so of this build, loaded once per test binary.
std::shared_ptr<const plugins::LoadedPack> tikv_pack();

// What create() refused: the host's whole sentence and the parameter the
// pack named (ABI 1.2 param_invalid).
struct Refusal {
  std::string message;
  std::optional<std::string> param;
};

// Every line the host logs while it lives (the packs' lines read
// "[tikv/t] ..."), at debug and up; the previous logger comes back after.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::string text() const;  // every line, "LEVEL message\n" each
  // The messages logged at `level` ("debug", "info", "warning", "error").
  std::vector<std::string> lines(const std::string& level) const;

 private:
  std::shared_ptr<std::ostringstream> out_;
  std::shared_ptr<spdlog::logger> previous_;
};

class TikvInstance {
 public:
  // Target "t": `target` is its YAML after "- name: t\n" (target_yaml()
  // writes one). Throws config::ConfigError when the host's config reader
  // refuses it, plugins::InstanceError when the pack's create() does.
  explicit TikvInstance(const std::string& target);

  // What creating target `target` was refused with; a test failure (and
  // an empty Refusal) when it was created.
  static Refusal refusal(const std::string& target);

  // One run of `check` with the parameters the config gave it, as the
  // engine runs it (with a generous deadline).
  plugins::RunResult run(const std::string& check);

 private:
  TempDir dir_;
  config::TargetConfig config_;
  std::unique_ptr<plugins::PackInstance> instance_;
};

// The value of the run fact `key`, or nullopt.
std::optional<std::string> fact(const plugins::RunResult& result, const std::string& key);
// The subjects of the run's violations, in report order.
std::vector<std::string> violation_subjects(const plugins::RunResult& result);
// The subjects the run could not evaluate, in the order the pack named them.
std::vector<std::string> unknown_subjects(const plugins::RunResult& result);

}  // namespace opr::test
