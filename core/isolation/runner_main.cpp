#include "isolation/runner_main.h"

#include <signal.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <thread>

#include "common/duration.h"
#include "http/client.h"
#include "http/exchange.h"
#include "isolation/frame.h"
#include "isolation/messages.h"
#include "isolation/runner_limits.h"
#include "plugins/pack_instance.h"
#include "plugins/pack_loader.h"

namespace opr::isolation {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kChannel = 3;  // the socket to the host

// ---- writing to the host ----

std::mutex& write_mutex() {
  static std::mutex mutex;
  return mutex;
}

// The host is gone or no longer reads: nothing left to do.
[[noreturn]] void host_gone() {
  std::fflush(nullptr);
  std::_Exit(0);
}

void send_frame(const std::string& frame) {
  std::lock_guard lock(write_mutex());
  if (!write_all(kChannel, frame)) host_gone();
}

// ---- the memory limit ----

// Set when an allocation failed (the runner reached RLIMIT_AS) during the
// call in progress. The host is told at once, by a frame built before the
// limit could be reached: the runner may not live to send the call's reply.
std::atomic<bool> memory_exhausted{false};
std::atomic<bool> memory_noted{false};
char memory_notice[kFrameHeaderSize];

void on_out_of_memory() {
  memory_exhausted = true;
  if (!memory_noted.exchange(true)) {
    std::lock_guard lock(write_mutex());
    if (!write_all(kChannel, std::string_view(memory_notice, sizeof memory_notice))) host_gone();
  }
  throw std::bad_alloc();
}

// ---- the pack's log lines, kept for the reply of the call in progress ----

int32_t op_level(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return OP_LOG_DEBUG;
    case spdlog::level::info:
      return OP_LOG_INFO;
    case spdlog::level::warn:
      return OP_LOG_WARNING;
    default:
      return OP_LOG_ERROR;
  }
}

class CaptureSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<LogLine> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(lines_, {});
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    lines_.push_back({op_level(msg.level), std::string(msg.payload.data(), msg.payload.size())});
  }
  void flush_() override {}

 private:
  std::vector<LogLine> lines_;
};

// ---- requests from the host ----

// Read by a thread of its own, so that a cancel reaches a run that is
// inside the pack, and so that the runner ends when its host does, even
// while the pack is stuck.
class Inbox {
 public:
  void start() {
    std::thread([this] { read_loop(); }).detach();
  }

  Frame pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !frames_.empty(); });
    Frame frame = std::move(frames_.front());
    frames_.pop_front();
    return frame;
  }

  // The run in progress, which a cancel frame stops.
  void set_run(std::shared_ptr<plugins::RunControl> control) {
    std::lock_guard lock(mutex_);
    run_ = std::move(control);
  }

 private:
  void read_loop() {
    FrameDecoder decoder;
    char buffer[64 * 1024];
    for (;;) {
      const ssize_t n = ::read(kChannel, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) host_gone();
      try {
        decoder.feed(std::string_view(buffer, static_cast<size_t>(n)));
        while (auto frame = decoder.next()) {
          std::lock_guard lock(mutex_);
          if (frame->type == MessageType::cancel) {
            if (run_) run_->cancelled = true;
            continue;
          }
          frames_.push_back(std::move(*frame));
          ready_.notify_one();
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "operator-host pack-runner: the host sent %s\n", e.what());
        std::_Exit(2);
      }
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Frame> frames_;
  std::shared_ptr<plugins::RunControl> run_;
};

// ---- the runner ----

struct Options {
  RunnerLimits limits;
  std::string log_level = "info";
};

Options parse_options(const std::vector<std::string>& args) {
  Options options;
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    const std::string& key = args[i];
    const std::string& value = args[i + 1];
    if (key == "--memory-mb") options.limits.memory_mb = std::stoull(value);
    if (key == "--open-files") options.limits.open_files = std::stoull(value);
    if (key == "--log-level") options.log_level = value;
  }
  return options;
}

// Closes every descriptor but stdin, stdout, stderr and the channel, so
// that nothing the host had open (its database above all) reaches a pack.
void close_inherited_descriptors() {
#ifdef SYS_close_range
  if (::syscall(SYS_close_range, kChannel + 1, ~0U, 0) == 0) return;
#endif
  rlimit limit{};
  const long max = ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
                       ? static_cast<long>(limit.rlim_cur)
                       : 65536;
  for (long fd = kChannel + 1; fd < max; ++fd) ::close(static_cast<int>(fd));
}

class Runner {
 public:
  explicit Runner(const Options& options) : options_(options) {}

  [[noreturn]] void serve() {
    inbox_.start();
    for (;;) {
      Frame request = inbox_.pop();
      try {
        handle(request);
      } catch (const ProtocolError& e) {
        std::fprintf(stderr, "operator-host pack-runner: the host sent %s\n", e.what());
        std::_Exit(2);
      }
    }
  }

  CaptureSink& sink() { return *sink_; }
  void set_sink(std::shared_ptr<CaptureSink> sink) { sink_ = std::move(sink); }

 private:
  void handle(const Frame& request) {
    switch (request.type) {
      case MessageType::load:
        load(decode_load_request(request.payload));
        break;
      case MessageType::create:
        create(decode_create_request(request.payload));
        break;
      case MessageType::run:
        run(decode_run_request(request.payload));
        break;
      case MessageType::destroy:
        destroy();
        break;
      default:
        throw ProtocolError("a frame a runner does not take");
    }
  }

  void load(const LoadRequest& request) {
    plugins::LoadedPack loaded = plugins::load_pack(request.file);
    LoadReply reply;
    if (loaded.ok()) {
      reply.declaration = *loaded.declaration;
      pack_ = std::make_shared<const plugins::LoadedPack>(std::move(loaded));
    } else {
      reply.error = loaded.error;
    }
    send_frame(encode_frame(MessageType::loaded, encode(reply)));
  }

  void create(const CreateRequest& request) {
    CreateReply reply;
    begin_call();
    try {
      instance_ =
          std::make_unique<plugins::PackInstance>(pack_, request.target, request.params, http_);
      reply.ok = true;
    } catch (const plugins::InstanceError& e) {
      reply.error = with_limits(e.what());
      reply.param = e.param();
    } catch (const std::exception& e) {
      reply.error = with_limits(e.what());
    }
    reply.logs = sink_->take();
    send_frame(encode_frame(MessageType::created, encode(reply)));
  }

  void run(const RunRequest& request) {
    RunReply reply;
    auto control = std::make_shared<plugins::RunControl>();
    control->timeout = std::chrono::milliseconds(request.timeout_ms);
    if (request.timeout_ms > 0) control->deadline = Clock::now() + control->timeout;
    if (request.record) control->record = std::make_shared<http::ExchangeLog>();
    begin_call();
    inbox_.set_run(control);
    if (instance_) {
      reply.result = instance_->run(request.check_index, request.params, *control);
    } else {
      reply.result.error = "the runner has no instance to run";
    }
    inbox_.set_run(nullptr);
    if (!reply.result.ok) reply.result.error = with_limits(reply.result.error);
    reply.logs = sink_->take();
    if (control->record) reply.exchanges = control->record->take();
    std::string frame;
    try {
      try {
        frame = encode_frame(MessageType::ran, encode(reply));
      } catch (const ProtocolError& e) {
        if (reply.exchanges.empty()) throw;
        // The recording gives way; the run's outcome still goes.
        reply.exchanges.clear();
        reply.exchanges_dropped =
            std::string("the run's HTTP exchanges do not fit in one message to the host: ") +
            e.what();
        frame = encode_frame(MessageType::ran, encode(reply));
      }
    } catch (const ProtocolError& e) {
      // Too much for one frame: the run fails, saying so, and keeps its logs.
      RunReply too_large;
      too_large.result.error =
          std::string("the run's outcome does not fit in one message to the host: ") + e.what();
      too_large.result.duration = reply.result.duration;
      too_large.logs = std::move(reply.logs);
      frame = encode_frame(MessageType::ran, encode(too_large));
    }
    send_frame(frame);
  }

  [[noreturn]] void destroy() {
    begin_call();
    instance_.reset();
    DestroyReply reply;
    reply.logs = sink_->take();
    send_frame(encode_frame(MessageType::destroyed, encode(reply)));
    host_gone();
  }

  void begin_call() {
    memory_exhausted = false;
    memory_noted = false;
  }

  // `error`, and which of the runner's limits it reached, if any.
  std::string with_limits(std::string error) const {
    if (memory_exhausted && options_.limits.memory_mb > 0) {
      error += "; " + memory_limit_text(options_.limits);
    }
    if (options_.limits.open_files > 0) {
      const int probe = ::dup(0);
      if (probe >= 0) {
        ::close(probe);
      } else if (errno == EMFILE) {
        error += "; " + open_files_limit_text(options_.limits);
      }
    }
    return error;
  }

  Options options_;
  Inbox inbox_;
  std::shared_ptr<CaptureSink> sink_;
  std::shared_ptr<http::Client> http_ = std::make_shared<http::Client>();
  std::shared_ptr<const plugins::LoadedPack> pack_;
  std::unique_ptr<plugins::PackInstance> instance_;
};

}  // namespace

int run_pack_runner(const std::vector<std::string>& args) {
  close_inherited_descriptors();
  for (int signo : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::signal(signo, SIG_IGN);
  Options options;
  try {
    options = parse_options(args);
  } catch (const std::exception&) {
    std::fprintf(stderr, "operator-host pack-runner: bad arguments\n");
    return 2;
  }
  if (auto error = apply_limits(options.limits)) {
    std::fprintf(stderr, "operator-host pack-runner: %s\n", error->c_str());
    return 2;
  }
  const std::string notice = encode_frame(MessageType::memory_limit, "");
  std::copy(notice.begin(), notice.end(), memory_notice);
  std::set_new_handler(&on_out_of_memory);

  auto sink = std::make_shared<CaptureSink>();
  auto logger = std::make_shared<spdlog::logger>("runner", sink);
  logger->set_level(
      spdlog::level::from_str(options.log_level == "warning" ? "warn" : options.log_level));
  spdlog::set_default_logger(std::move(logger));

  auto* runner = new Runner(options);  // never destroyed: a runner ends by _Exit
  runner->set_sink(std::move(sink));
  runner->serve();
}

}  // namespace opr::isolation
