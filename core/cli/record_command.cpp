// operator-host --config FILE --once --record DIR: each enabled check of
// each target run once in this process (whatever its isolation: the host
// must see the pack's HTTP), its exchanges and outcome written as
// DIR/TARGET.CHECK.yaml for `plugins test`. It observes only: no tickets
// are written and no notifications sent.
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/command_output.h"
#include "cli/commands.h"
#include "common/terminal_text.h"
#include "config/config.h"
#include "engine/setup.h"
#include "packtest/recording.h"
#include "plugins/pack_instance.h"

namespace opr::cli {
namespace {

// A file name from a target's or check's name, which may hold anything.
std::string file_word(const std::string& name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
  return out;
}

// Records one target's checks; returns how many could not be recorded.
// Each recorded file, for --json: {"target", "check", "file", "outcome"}.
using Recorded = nlohmann::ordered_json;

int record_target(const config::TargetConfig& target, const engine::Setup& setup,
                  const std::filesystem::path& dir, Recorded& recorded) {
  auto pack = setup.packs.at(target.pack);
  if (!pack->in_process()) {
    pack = std::make_shared<plugins::LoadedPack>(plugins::load_pack(pack->file));
    if (!pack->in_process()) {
      std::cerr << "cannot record target " << escape_for_terminal(target.name) << ": "
                << escape_for_terminal(pack->error) << "\n";
      return 1;
    }
  }
  auto recorder = std::make_shared<packtest::RecordingTransport>();
  http::ClientOptions options;
  options.transport = [recorder](const http::Request& request) {
    return recorder->answer(request);
  };
  int failed = 0;
  for (const auto& check : target.checks) {
    if (!check.enabled) continue;
    // An instance per check, as `plugins test` makes one per file: what a
    // pack keeps between runs (a cached store list) must be in each file.
    std::unique_ptr<plugins::PackInstance> instance;
    try {
      instance = std::make_unique<plugins::PackInstance>(pack, target.name, target.params,
                                                         std::make_shared<http::Client>(options));
    } catch (const plugins::InstanceError& e) {
      std::cerr << "cannot record target " << escape_for_terminal(target.name) << ": "
                << escape_for_terminal(e.what()) << "\n";
      return failed + 1;
    }
    recorder->take();  // create() must not use the network (config check makes instances)
    plugins::RunControl control;
    control.timeout = check.timeout;
    control.deadline = std::chrono::steady_clock::now() + check.timeout;
    const plugins::RunResult result = instance->run(check.index, check.params, control);
    const auto file = dir / (file_word(target.name) + "." + file_word(check.name) + ".yaml");
    try {
      packtest::write_recorded_test(file,
                                    {*pack->declaration, target, check, result, recorder->take()});
      const std::string outcome =
          result.ok ? std::to_string(result.violations.size()) + " violations" : "failed";
      recorded.push_back({{"target", target.name},
                          {"check", check.name},
                          {"file", file.string()},
                          {"outcome", outcome}});
    } catch (const std::exception& e) {
      std::cerr << escape_for_terminal(e.what()) << "\n";
      ++failed;
    }
  }
  return failed;
}

}  // namespace

int run(const GlobalOptions& global, const RecordOnceRequest&) {
  try {
    const engine::Setup setup = engine::load_setup(*global.config, global.plugin_dirs);
    std::filesystem::create_directories(*global.record);
    int failed = 0;
    Recorded recorded = Recorded::array();
    for (const auto& target : setup.config.targets) {
      failed += record_target(target, setup, *global.record, recorded);
    }
    if (global.json) {
      print_json({{"recorded", recorded}, {"failed", failed}});
    } else {
      for (const auto& file : recorded) {
        std::cout << "recorded "
                  << escape_for_terminal(file["target"].get<std::string>() + "/" +
                                         file["check"].get<std::string>())
                  << " (" << file["outcome"].get<std::string>() << ") in "
                  << escape_for_terminal(file["file"].get<std::string>()) << "\n";
      }
    }
    return failed == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    print_error(global.json, e.what(), 1);
    return 1;
  }
}

}  // namespace opr::cli
