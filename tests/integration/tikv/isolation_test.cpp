// A pack that crashes, hangs or exits costs one check, never the monitor:
// the `unruly` test pack breaks its process in one way per test, in a
// target of its own (isolation: process, the default) beside a healthy
// target of the TiKV pack on tikv-sim and a real Prometheus. The host
// survives, the healthy target keeps its cycle and its tickets, the broken
// target's runs fail naming the pack and the cause, its `:failed` ticket
// opens at the threshold, and `--once` exits 3.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "host_harness.h"
#include "test_support.h"
#include "tikv_cluster.h"
#include "tikv_family.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

struct Breakage {
  const char* mode;     // the unruly pack's `mode`
  const char* cause;    // how the failure names the cause, after "pack 'unruly' "
  bool signal = false;  // a crash by a signal, which AddressSanitizer reports and exits 1 for
  // The broken target's timeout: short, so that `loop` fails quickly, but
  // long enough for `allocate` to touch 256 MiB on a loaded machine (it
  // once timed out there, and failed as "did not return" instead).
  const char* timeout = "500ms";
};

std::string name_of(const ::testing::TestParamInfo<Breakage>& info) { return info.param.mode; }

void PrintTo(const Breakage& breakage, std::ostream* out) { *out << breakage.mode; }

// The host's packs: the TiKV pack for the healthy target, unruly for the
// broken one.
std::vector<std::filesystem::path> packs() {
  return {packs_dir() / "tikv.so", fixture_pack("unruly")};
}

class PackIsolation : public ::testing::TestWithParam<Breakage> {
 protected:
  // One cluster for the whole suite, store 2 Down: the healthy target has a
  // ticket to keep.
  static void SetUpTestSuite() {
    cluster_ = new TikvCluster(3, {}, /*with_prometheus=*/true);
    cluster_->sim().change_store(2, R"({"state_name": "Down"})");
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  // The healthy target, checking every 200 ms.
  static std::string healthy_target() {
    // store_up alone (and pd_health, which asks the same PD).
    return "  - name: healthy\n" +
           with_metric_family_off(target_yaml(*cluster_,
                                              "store_up: {interval: 200ms}\n"
                                              "      latency: {enabled: false}\n"
                                              "      disk_space: {enabled: false}"));
  }

  // What the failure of `breakage` says about its cause, in this build.
  static std::string cause(const Breakage& breakage) {
    if (breakage.signal && kAddressSanitizer) return "pack 'unruly' ";
    return breakage.cause;
  }

  // Waits until the healthy target has seen store 2 Down three more times
  // than when `since` was read.
  static bool seen_again(const HostHarness& harness, const tickets::Ticket& since) {
    return wait_until(
        [&] {
          const auto now = harness.open_ticket("healthy/store_up/2");
          return now && now->occurrence_count >= since.occurrence_count + 3;
        },
        kPatience);
  }

  static TikvCluster* cluster_;
};

TikvCluster* PackIsolation::cluster_ = nullptr;

TEST_P(PackIsolation, CostsOneCheckNeverTheMonitor) {
  const Breakage& breakage = GetParam();
  HostHarness harness(packs());
  harness.write_config(
      "defaults: {failure_threshold: 3, runner_memory_mb: 256}\n"
      "targets:\n" +
      healthy_target() +
      "  - name: bad\n"
      "    pack: unruly\n"
      "    mode: " +
      breakage.mode +
      "\n"
      "    timeout: " +
      breakage.timeout +
      "\n"
      "    checks:\n"
      "      probe: {interval: 200ms}\n");

  // --once: UNKNOWN, the broken check failed naming the pack and the cause,
  // the healthy one saw store 2 Down.
  const CommandResult once = harness.run_once();
  EXPECT_EQ(once.exit_code, 3) << once.out << once.err;
  EXPECT_TRUE(contains(once.out, "FAILED bad/probe: ")) << once.out;
  EXPECT_TRUE(contains(once.out, cause(breakage))) << once.out;
  EXPECT_TRUE(contains(once.out, "VIOLATION healthy/store_up: 2: ")) << once.out;

  // The monitor: the broken target's :failed ticket opens, the healthy
  // target's ticket keeps being seen, and the host stops cleanly.
  auto host = harness.start();
  ASSERT_TRUE(
      wait_until([&] { return harness.open_ticket("bad/probe:failed").has_value(); }, kPatience))
      << host->err();
  const auto failed = harness.open_ticket("bad/probe:failed");
  EXPECT_TRUE(contains(failed->message, cause(breakage))) << failed->message;
  EXPECT_TRUE(contains(host->err(), cause(breakage))) << host->err();
  const auto seen = harness.open_ticket("healthy/store_up/2");
  ASSERT_TRUE(seen.has_value()) << host->err();
  ASSERT_TRUE(seen_again(harness, *seen)) << host->err();
  EXPECT_TRUE(host->running());
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(30s), 0) << host->err();
}

// Every way to break, but for the memory limit under AddressSanitizer,
// which reserves terabytes of address space and so runs without RLIMIT_AS.
std::vector<Breakage> breakages() {
  std::vector<Breakage> all = {
      Breakage{"segfault", "pack 'unruly' crashed with SIGSEGV", true},
      Breakage{"abort", "pack 'unruly' crashed with SIGABRT"},
      Breakage{"stack_overflow", "pack 'unruly' crashed with SIGSEGV", true},
      Breakage{"exit_in_run", "pack 'unruly' exited with status 0"},
      Breakage{"exit_in_create", "pack 'unruly' exited with status 0 in create()"},
      Breakage{"sigkill", "pack 'unruly' was killed by SIGKILL"},
      Breakage{"loop", "pack 'unruly' did not return"},
      Breakage{"allocate", "the runner reached its memory limit", false, "5s"},
      Breakage{"garbage", "pack 'unruly' broke the runner protocol"},
      Breakage{"truncated_frame", "in the middle of a message to the host"},
  };
  if (kAddressSanitizer) {
    std::erase_if(all, [](const Breakage& b) { return std::string(b.mode) == "allocate"; });
  }
  return all;
}

INSTANTIATE_TEST_SUITE_P(Modes, PackIsolation, ::testing::ValuesIn(breakages()), name_of);

// A pack that crashes in op_pack_entry, before it has a name: the host says
// which file and why, and monitors the rest.
TEST_F(PackIsolation, APackThatCrashesWhileLoadingCostsTheMonitorNothing) {
  HostHarness harness({packs_dir() / "tikv.so", fixture_pack("crash_entry")});
  harness.write_config("targets:\n" + healthy_target());
  const CommandResult once = harness.run_once();
  EXPECT_EQ(once.exit_code, 2) << once.out << once.err;
  EXPECT_TRUE(contains(once.out, "VIOLATION healthy/store_up: 2: ")) << once.out;
  EXPECT_TRUE(contains(once.err, crashed_while_loading(harness.file("packs/crash_entry.so"))))
      << once.err;

  // The monitor sees store 2 Down again and again.
  const auto seen = harness.open_ticket("healthy/store_up/2");
  ASSERT_TRUE(seen.has_value());
  auto host = harness.start();
  ASSERT_TRUE(seen_again(harness, *seen)) << host->err();
  EXPECT_TRUE(contains(host->err(), crashed_while_loading(harness.file("packs/crash_entry.so"))))
      << host->err();
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(30s), 0) << host->err();
}

}  // namespace
}  // namespace opr::test
