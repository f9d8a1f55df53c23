#include "isolation/probe.h"

#include <exception>
#include <memory>
#include <string>

#include "common/duration.h"
#include "isolation/messages.h"

namespace opr::isolation {

plugins::LoadedPack probe_pack(const std::filesystem::path& file, const RunnerOptions& options,
                               std::chrono::milliseconds timeout) {
  try {
    RunnerProcess runner(options, file.filename().string());
    const Reply reply = runner.call(MessageType::load, encode(LoadRequest{file.string()}),
                                    MessageType::loaded, Clock::now() + timeout);
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
    if (!loaded.declaration) {
      plugins::LoadedPack pack;
      pack.file = file;
      pack.error = loaded.error;
      return pack;
    }
    plugins::LoadedPack pack;
    pack.file = file;
    pack.declaration = std::make_shared<const PackDeclaration>(std::move(*loaded.declaration));
    return pack;
  } catch (const ProtocolError& e) {
    return plugins::failed_pack(
        file, std::string("broke the runner protocol while loading (it sent ") + e.what() + ")");
  } catch (const std::exception& e) {
    return plugins::failed_pack(file, std::string("cannot be loaded: ") + e.what());
  }
}

std::vector<plugins::LoadedPack> probe_packs(const std::vector<std::filesystem::path>& dirs,
                                             const RunnerOptions& options) {
  return plugins::load_packs(
      dirs, [&options](const std::filesystem::path& file) { return probe_pack(file, options); });
}

}  // namespace opr::isolation
