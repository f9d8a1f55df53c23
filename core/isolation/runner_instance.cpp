#include "isolation/runner_instance.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "common/duration.h"
#include "http/exchange.h"
#include "isolation/messages.h"
#include "plugins/call_timeout.h"

namespace opr::isolation {
namespace {

using std::chrono::milliseconds;

void log_lines(const std::vector<LogLine>& lines) {
  for (const auto& line : lines) plugins::log_pack_line(line.level, line.message);
}

// The runner read the file the host probed: a pack replaced on disk since
// then would get check indexes and parameters meant for another.
bool same_declaration(const PackDeclaration& a, const PackDeclaration& b) {
  if (a.name != b.name || a.checks.size() != b.checks.size()) return false;
  for (size_t i = 0; i < a.checks.size(); ++i) {
    if (a.checks[i].name != b.checks[i].name) return false;
  }
  return true;
}

}  // namespace

std::string RunnerInstance::failure(const Reply& reply, const std::string& during) {
  std::string message = "pack '" + pack_->name() + "' ";
  if (reply.kind == Reply::Kind::broken) {
    message += "broke the runner protocol " + during + " (it " + reply.problem +
               "), so its runner was killed";
  } else {
    message += reply.problem + " " + during;
    if (reply.cut_short) message += ", in the middle of a message to the host";
  }
  if (reply.memory_limit) message += "; " + memory_limit_text(limits_);
  broken_ = message;
  return message;
}

RunnerInstance::RunnerInstance(std::shared_ptr<const plugins::LoadedPack> pack, std::string target,
                               const ParamMap& pack_params, milliseconds timeout,
                               const RunnerOptions& options)
    : pack_(std::move(pack)),
      target_(std::move(target)),
      timeout_(timeout),
      limits_(options.limits) {
  if (!pack_ || !pack_->ok()) {
    throw plugins::InstanceError("cannot create an instance of a pack that did not load" +
                                     (pack_ ? ": " + pack_->error : std::string()),
                                 std::nullopt);
  }
  const std::string name = pack_->name();
  try {
    process_ = std::make_unique<RunnerProcess>(options, name + "/" + target_);
  } catch (const std::exception& e) {
    throw RunnerFailure("pack '" + name + "' for target '" + target_ + "': " + e.what());
  }
  const std::string limit_text = format_duration(timeout_);

  Reply loaded = process_->call(MessageType::load, encode(LoadRequest{pack_->file.string()}),
                                MessageType::loaded, Clock::now() + timeout_);
  if (loaded.kind == Reply::Kind::timed_out) {
    throw RunnerFailure("pack '" + name + "' did not finish loading within " + limit_text +
                        " for target '" + target_ + "'; its runner was killed");
  }
  if (loaded.kind != Reply::Kind::frame) {
    throw RunnerFailure(failure(loaded, "while loading for target '" + target_ + "'"));
  }
  try {
    const LoadReply reply = decode_load_reply(loaded.frame.payload);
    if (!reply.declaration) {
      throw RunnerFailure("pack '" + name + "' could not be loaded by its runner for target '" +
                          target_ + "': " + reply.error);
    }
    if (!same_declaration(*reply.declaration, *pack_->declaration)) {
      throw RunnerFailure("the file of pack '" + name + "' (" + pack_->file.string() +
                          ") changed since the config was loaded; reload the config");
    }
  } catch (const ProtocolError& e) {
    loaded.kind = Reply::Kind::broken;
    loaded.problem = std::string("sent ") + e.what();
    throw RunnerFailure(failure(loaded, "while loading for target '" + target_ + "'"));
  }

  Reply created = process_->call(MessageType::create, encode(CreateRequest{target_, pack_params}),
                                 MessageType::created, Clock::now() + timeout_);
  if (created.kind == Reply::Kind::timed_out) {
    throw RunnerFailure(plugins::did_not_return("create()", name, target_, timeout_) +
                        "; its runner was killed");
  }
  if (created.kind != Reply::Kind::frame) {
    throw RunnerFailure(failure(created, "in create() for target '" + target_ + "'"));
  }
  CreateReply reply;
  try {
    reply = decode_create_reply(created.frame.payload);
  } catch (const ProtocolError& e) {
    process_->kill();
    created.kind = Reply::Kind::broken;
    created.problem = std::string("sent ") + e.what();
    throw RunnerFailure(failure(created, "in create() for target '" + target_ + "'"));
  }
  log_lines(reply.logs);
  if (!reply.ok) throw plugins::InstanceError(reply.error, reply.param);
}

RunnerInstance::~RunnerInstance() {
  try {
    if (process_ && process_->alive() && !broken_) {
      const Reply reply =
          process_->call(MessageType::destroy, "", MessageType::destroyed, Clock::now() + timeout_);
      if (reply.kind == Reply::Kind::frame) {
        try {
          log_lines(decode_destroy_reply(reply.frame.payload).logs);
        } catch (const ProtocolError&) {
        }
        process_->finish(kKillGrace);
      } else if (reply.kind == Reply::Kind::timed_out) {
        spdlog::warn("{}; its runner was killed",
                     plugins::did_not_return("destroy()", pack_->name(), target_, timeout_));
      } else {
        spdlog::warn("{}", failure(reply, "in destroy() for target '" + target_ + "'"));
      }
    }
  } catch (const std::exception& e) {
    spdlog::error("could not end the runner of pack '{}' for target '{}': {}", pack_->name(),
                  target_, e.what());
  }
  process_.reset();  // kills and reaps whatever is left
}

plugins::RunResult RunnerInstance::run(uint32_t check_index, const ParamMap& check_params,
                                       plugins::RunControl& control) {
  const auto start = Clock::now();
  plugins::RunResult result;
  try {
    if (broken_) {
      result.error = *broken_;
      return result;
    }
    const bool bounded = control.deadline != Clock::time_point::max();
    const milliseconds timeout = control.timeout.count() > 0 || !bounded
                                     ? control.timeout
                                     : std::chrono::ceil<milliseconds>(control.deadline - start);
    RunRequest request;
    request.check_index = check_index;
    request.timeout_ms =
        bounded ? std::max<int64_t>(
                      1, std::chrono::ceil<milliseconds>(control.deadline - start).count())
                : 0;
    request.params = check_params;
    request.record = control.record != nullptr;
    const Reply reply =
        process_->call(MessageType::run, encode(request), MessageType::ran,
                       bounded ? control.deadline + kKillGrace : Clock::time_point::max(),
                       &control.cancelled, control.deadline);
    switch (reply.kind) {
      case Reply::Kind::frame:
        try {
          RunReply ran = decode_run_reply(reply.frame.payload);
          log_lines(ran.logs);
          // The runner made the requests; the host writes the recording.
          if (control.record) {
            for (auto& exchange : ran.exchanges) control.record->add(std::move(exchange));
            if (!ran.exchanges_dropped.empty()) control.record->give_up(ran.exchanges_dropped);
          }
          result = std::move(ran.result);
          if (bounded && Clock::now() > control.deadline) {
            // Late is late, whatever the pack made of the cancellation.
            result.ok = false;
            result.timed_out = true;
            result.error = "timed out after " + format_duration(timeout);
          }
          return result;
        } catch (const ProtocolError& e) {
          process_->kill();
          Reply garbled = reply;
          garbled.kind = Reply::Kind::broken;
          garbled.problem = std::string("sent ") + e.what();
          result.error = failure(garbled, "during the run");
        }
        break;
      case Reply::Kind::timed_out:
        broken_ = "pack '" + pack_->name() + "' did not return from a run within " +
                  format_duration(timeout) + ", so its runner was killed";
        result.timed_out = true;
        result.error = "timed out after " + format_duration(timeout) + "; pack '" + pack_->name() +
                       "' did not return, its runner was killed";
        break;
      case Reply::Kind::died:
      case Reply::Kind::broken:
        result.error = failure(reply, "during the run");
        break;
    }
  } catch (const std::exception& e) {
    result.error =
        std::string("the host failed while running the check in its runner: ") + e.what();
  }
  result.ok = false;
  result.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  return result;
}

std::optional<std::string> RunnerInstance::broken() const { return broken_; }

void RunnerInstance::abandon() {
  if (process_) process_->kill();
}

}  // namespace opr::isolation
