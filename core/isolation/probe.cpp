#include "isolation/probe.h"

#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/duration.h"
#include "isolation/messages.h"

namespace opr::isolation {
namespace {

// How many probes start at once, before the first answer is read: a folder
// of packs loads in about the time of its slowest pack, not their sum.
constexpr size_t kProbesAtOnce = 16;

// A probe whose load request is out.
struct StartedProbe {
  std::unique_ptr<RunnerProcess> runner;
  Clock::time_point give_up;
};

StartedProbe start_probe(const std::filesystem::path& file, const RunnerOptions& options,
                         std::chrono::milliseconds timeout) {
  StartedProbe probe;
  probe.runner = std::make_unique<RunnerProcess>(options, file.filename().string());
  probe.runner->send(MessageType::load, encode(LoadRequest{file.string()}));
  probe.give_up = Clock::now() + timeout;
  return probe;
}

plugins::LoadedPack finish_probe(const std::filesystem::path& file, StartedProbe& probe,
                                 std::chrono::milliseconds timeout) {
  const Reply reply = probe.runner->wait(MessageType::loaded, probe.give_up);
  probe.runner.reset();  // its work is done: killed and reaped
  switch (reply.kind) {
    case Reply::Kind::frame:
      break;
    case Reply::Kind::timed_out:
      return plugins::failed_pack(file, "did not finish loading within " +
                                            format_duration(timeout) + "; its runner was killed");
    case Reply::Kind::died:
      return plugins::failed_pack(
          file, reply.problem + " while loading" +
                    (reply.cut_short ? ", in the middle of a message to the host" : ""));
    case Reply::Kind::broken:
      return plugins::failed_pack(
          file, "broke the runner protocol while loading (it " + reply.problem + ")");
  }
  LoadReply loaded = decode_load_reply(reply.frame.payload);
  plugins::LoadedPack pack;
  pack.file = file;
  if (!loaded.declaration) {
    pack.error = loaded.error;
    return pack;
  }
  pack.declaration = std::make_shared<const PackDeclaration>(std::move(*loaded.declaration));
  return pack;
}

// finish_probe, with whatever goes wrong on the host's side as the pack's
// error. Never throws.
plugins::LoadedPack finish_or_fail(const std::filesystem::path& file,
                                   const std::function<StartedProbe()>& start,
                                   std::chrono::milliseconds timeout) {
  try {
    StartedProbe probe = start();
    return finish_probe(file, probe, timeout);
  } catch (const ProtocolError& e) {
    return plugins::failed_pack(
        file, std::string("broke the runner protocol while loading (it sent ") + e.what() + ")");
  } catch (const std::exception& e) {
    return plugins::failed_pack(file, std::string("cannot be loaded: ") + e.what());
  }
}

}  // namespace

plugins::LoadedPack probe_pack(const std::filesystem::path& file, const RunnerOptions& options,
                               std::chrono::milliseconds timeout) {
  return finish_or_fail(
      file, [&] { return start_probe(file, options, timeout); }, timeout);
}

std::vector<plugins::LoadedPack> probe_packs(const std::vector<std::filesystem::path>& dirs,
                                             const RunnerOptions& options) {
  // Start the first probes together; load_packs then takes their answers in
  // its order (and probes any others one by one).
  std::map<std::filesystem::path, std::function<StartedProbe()>> started;
  for (const auto& dir : dirs) {
    std::error_code ec;
    for (const auto& file : plugins::pack_files(dir, ec)) {
      if (started.size() >= kProbesAtOnce) break;
      try {
        auto probe = std::make_shared<StartedProbe>(start_probe(file, options, kProbeTimeout));
        started.emplace(file, [probe] { return std::move(*probe); });
      } catch (const std::exception&) {
        // Tried again, and reported, when load_packs gets to it.
      }
    }
  }
  return plugins::load_packs(dirs, [&](const std::filesystem::path& file) {
    const auto found = started.find(file);
    if (found == started.end()) return probe_pack(file, options);
    return finish_or_fail(file, found->second, kProbeTimeout);
  });
}

}  // namespace opr::isolation
