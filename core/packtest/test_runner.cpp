#include "packtest/test_runner.h"

#include <unistd.h>

#include <atomic>
#include <memory>

#include "common/duration.h"
#include "common/time_format.h"
#include "config/value_reading.h"
#include "engine/evaluator.h"
#include "packtest/canned_transport.h"
#include "packtest/outcome_compare.h"
#include "packtest/test_file.h"
#include "plugins/pack_instance.h"
#include "plugins/pack_loader.h"
#include "tickets/ticket_store.h"

namespace opr::packtest {
namespace {

using config::fail;

// The pack the file names: a path to a .so (relative to the file), or a
// name among the packs of `dirs`.
std::shared_ptr<const plugins::LoadedPack> find_pack(
    const TestFile& test, const std::vector<std::filesystem::path>& dirs) {
  const bool is_path = test.pack.find('/') != std::string::npos || test.pack.ends_with(".so");
  if (is_path) {
    auto pack = std::make_shared<plugins::LoadedPack>(
        plugins::load_pack(test.path.parent_path() / test.pack));
    if (!pack->in_process()) fail(test.pack_mark, "pack not loaded: " + pack->error);
    return pack;
  }
  for (auto& pack : plugins::load_packs(dirs)) {
    if (pack.in_process() && pack.name() == test.pack) {
      return std::make_shared<plugins::LoadedPack>(std::move(pack));
    }
  }
  std::string searched;
  for (const auto& dir : dirs) searched += (searched.empty() ? "" : ", ") + dir.string();
  fail(test.pack_mark, "no pack '" + test.pack + "' in " + searched);
}

// The check as the engine would run it: the file's grace and severity, else
// the pack's.
config::CheckConfig check_config(const TestFile& test, const PackDeclaration& pack) {
  const CheckDeclaration* declared = pack.find_check(test.check);
  if (declared == nullptr) {
    fail(test.check_mark, "pack '" + pack.name + "' has no check '" + test.check + "'");
  }
  config::CheckConfig check;
  check.name = declared->name;
  check.index = static_cast<uint32_t>(declared - pack.checks.data());
  check.interval = declared->default_interval.count() > 0 ? declared->default_interval
                                                          : config::Defaults{}.interval;
  check.timeout = config::Defaults{}.timeout;
  check.grace = test.grace.value_or(declared->default_grace);
  check.severity = test.severity.value_or(
      severity_from_abi(declared->default_severity).value_or(Severity::warning));
  check.failed_severity = check.severity;
  std::vector<std::string> names;
  for (const auto& def : declared->params) names.push_back(def.name);
  config::check_keys(test.check_params, names, "in 'check_params'");
  check.params = config::resolve_params(test.check_params, declared->params, "'check_params'",
                                        pack.name, test.check_mark, true);
  return check;
}

ParamMap pack_params(const TestFile& test, const PackDeclaration& pack) {
  std::vector<std::string> names;
  for (const auto& def : pack.params) names.push_back(def.name);
  config::check_keys(test.params, names, "in 'params'");
  return config::resolve_params(test.params, pack.params, "'params'", pack.name, test.pack_mark,
                                true);
}

// A ticket database of its own, removed with this.
class ScratchStore {
 public:
  ScratchStore() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("operator-plugins-test-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter++) + ".db");
    store_ = tickets::TicketStore::open("sqlite3://db=" + path_.string(), {});
  }
  ~ScratchStore() {
    store_.reset();
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_.string() + suffix, ignored);
    }
  }
  ScratchStore(const ScratchStore&) = delete;
  ScratchStore& operator=(const ScratchStore&) = delete;
  tickets::TicketStore& operator*() { return *store_; }

 private:
  std::filesystem::path path_;
  std::unique_ptr<tickets::TicketStore> store_;
};

// The run's outcome applied to `store` at `at`, as the engine's recorder
// applies it, and the check's tickets open after it.
std::vector<tickets::Ticket> apply(tickets::TicketStore& store, const std::string& target,
                                   const config::CheckConfig& check,
                                   const plugins::RunResult& result, TimePoint at) {
  if (result.ok) {
    store.apply_success(
        engine::successful_run(target, check, result, at, engine::batch_key(target, at)));
  } else {
    tickets::FailedRun failed;
    failed.target = target;
    failed.check = check.name;
    failed.error = result.error;
    failed.cause = result.cause;
    failed.threshold = config::Defaults{}.failure_threshold;
    failed.severity = check.failed_severity;
    failed.at = at;
    store.apply_failure(failed);
  }
  tickets::ListFilter filter;
  filter.target = target;
  return store.list(filter);
}

std::string run_name(const TestFile& test, const TestRun& run, size_t index) {
  return test.path.string() + ":" + std::to_string(run.mark.line) + ":" +
         std::to_string(run.mark.column) + ": run " + std::to_string(index + 1) + " (at " +
         format_duration(run.at) + ")";
}

void run_all(const TestFile& test, const std::vector<std::filesystem::path>& dirs,
             FileResult& out) {
  const auto pack = find_pack(test, dirs);
  const config::CheckConfig check = check_config(test, *pack->declaration);
  const ParamMap params = pack_params(test, *pack->declaration);
  auto transport = std::make_shared<CannedTransport>();
  http::ClientOptions options;
  options.transport = [transport](const http::Request& request) {
    return transport->answer(request);
  };
  auto client = std::make_shared<http::Client>(options);
  std::unique_ptr<plugins::PackInstance> instance;
  try {
    instance = std::make_unique<plugins::PackInstance>(pack, test.target, params, client);
  } catch (const plugins::InstanceError& e) {
    fail(test.pack_mark, std::string("the pack refused its parameters: ") + e.what());
  }
  std::unique_ptr<ScratchStore> store;
  // A fixed start, so that ticket times never depend on when the test ran.
  const TimePoint start = *parse_utc("2026-01-01T00:00:00Z");
  for (size_t i = 0; i < test.runs.size(); ++i) {
    const TestRun& run = test.runs[i];
    transport->start_run(run.answers);
    plugins::RunControl control;
    control.timeout = check.timeout;
    control.deadline = std::chrono::steady_clock::now() + check.timeout;
    const plugins::RunResult result = instance->run(check.index, check.params, control);
    RunFailure failure{run_name(test, run, i), {}};
    for (const auto& request : transport->unexpected()) {
      failure.lines.push_back("unexpected request: " + request + " (no answer in the file)");
    }
    for (const auto& answer : transport->unasked()) {
      failure.lines.push_back("answered but never asked: " + answer.method + " " + answer.url +
                              " (the answer at line " + std::to_string(answer.mark.line) + ")");
    }
    for (auto& line : compare_outcome(run.expect, result, check.severity)) {
      failure.lines.push_back(std::move(line));
    }
    // Tickets span runs: every run is applied once any run asks for them.
    bool wants_tickets = false;
    for (const auto& any : test.runs) wants_tickets = wants_tickets || any.expect.tickets;
    if (wants_tickets) {
      if (!store) store = std::make_unique<ScratchStore>();
      const auto open = apply(**store, test.target, check, result, start + run.at);
      if (run.expect.tickets) {
        for (auto& line : compare_tickets(*run.expect.tickets, open, check.name)) {
          failure.lines.push_back(std::move(line));
        }
      }
    }
    ++out.runs;
    if (!failure.lines.empty()) out.failures.push_back(std::move(failure));
  }
}

}  // namespace

FileResult run_test_file(const std::filesystem::path& file,
                         const std::vector<std::filesystem::path>& plugin_dirs) {
  FileResult out;
  out.file = file;
  try {
    run_all(read_test_file(file), plugin_dirs, out);
  } catch (const config::ConfigError& e) {
    out.error = e.what();
  } catch (const std::exception& e) {
    out.error = file.string() + ": " + e.what();
  }
  return out;
}

}  // namespace opr::packtest
