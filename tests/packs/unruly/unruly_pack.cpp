// The `unruly` test pack: its check `probe` does what the pack-level
// parameter `mode` says, most of which no pack may do (each ends or breaks
// the process it runs in):
//
//   ok               no violation
//   violate          one violation, subject "s1", with facts
//   segfault         writes through a null pointer (SIGSEGV)
//   abort            std::abort() (SIGABRT)
//   stack_overflow   unbounded recursion (SIGSEGV)
//   exit_in_run      std::exit(0) in the run
//   exit_in_create   std::exit(0) in create()
//   sigkill          raise(SIGKILL)
//   loop             loops forever, ignoring cancellation
//   allocate         allocates (and touches) memory until an allocation fails,
//                    then fails the run with the exception's text
//   open_files       opens /dev/null until that fails, then fails the run
//   garbage          writes garbage to fd 3 (a runner's channel to its host)
//   truncated_frame  writes the start of a frame to fd 3, then _exit(0)
//   huge_outcome     reports 20 violations of 1 MiB each (past the protocol's
//                    maximum frame)
//   stderr           writes "unruly: a line on stderr" to stderr, then passes
//
// When `started_file` is set, create() and each run append a line to it
// first ("create PID", "run MODE PID"), so a test knows the pack got that
// far, and in which process.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <operator/plugin.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using opr::sdk::Fact;
using opr::sdk::Run;

void append_line(const std::string& file, const std::string& line) {
  if (file.empty()) return;
  std::ofstream out(file, std::ios::app);
  out << line << '\n';
}

// Deep enough to overflow any stack; the array keeps each frame large and
// the addition after the call keeps the recursion from becoming a loop.
int recurse(int depth) {
  if (depth < 0) return 0;  // never: the stack ends long before
  volatile char frame[4096];
  frame[0] = static_cast<char>(depth);
  return recurse(depth + 1) + frame[0];
}

struct UnrulyTarget {
  UnrulyTarget(const opr::sdk::Host&, const opr::sdk::Params& params)
      : mode(params.string("mode")),
        started_file(params.optional_string("started_file").value_or("")) {
    append_line(started_file, "create " + std::to_string(::getpid()));
    if (mode == "exit_in_create") std::exit(0);
  }
  std::string mode;
  std::string started_file;
};

class Probe : public opr::sdk::Check<UnrulyTarget> {
 public:
  void run(UnrulyTarget& target, Run& run) override {
    const std::string& mode = target.mode;
    append_line(target.started_file, "run " + mode + " " + std::to_string(::getpid()));
    if (mode == "ok") return;
    if (mode == "violate") {
      run.report("s1", "unruly violation", {Fact::integer("count", 1), Fact::text("mode", mode)});
      return;
    }
    if (mode == "segfault") {
      volatile int* nowhere = nullptr;
      *nowhere = 14;
    }
    if (mode == "abort") std::abort();
    if (mode == "stack_overflow") run.fact(Fact::integer("depth", recurse(0)));
    if (mode == "exit_in_run") std::exit(0);
    if (mode == "sigkill") ::raise(SIGKILL);
    if (mode == "loop") {
      for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (mode == "allocate") {
      std::vector<std::unique_ptr<char[]>> blocks;
      for (;;) {
        constexpr size_t kBlock = size_t{16} << 20;
        blocks.emplace_back(new char[kBlock]);
        std::memset(blocks.back().get(), 1, kBlock);
      }
    }
    if (mode == "open_files") {
      std::vector<int> fds;
      for (;;) {
        const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd < 0) break;
        fds.push_back(fd);
      }
      throw opr::sdk::CheckFailed("unruly: cannot open another file after " +
                                  std::to_string(fds.size()));
    }
    if (mode == "garbage") {
      const char garbage[] = "this is not a frame\n";
      [[maybe_unused]] auto written = ::write(3, garbage, sizeof garbage - 1);
      return;
    }
    if (mode == "truncated_frame") {
      // A header announcing 100 bytes of a `ran` message, and 10 of them.
      const char start[] =
          "OP\x01\x43\x64\x00\x00\x00"
          "0123456789";
      [[maybe_unused]] auto written = ::write(3, start, sizeof start - 1);
      ::_exit(0);
    }
    if (mode == "stderr") {
      std::fputs("unruly: a line on stderr\n", stderr);
      std::fflush(stderr);
      return;
    }
    if (mode == "huge_outcome") {
      const std::string message(size_t{1} << 20, 'x');
      for (int i = 0; i < 20; ++i) run.report("s" + std::to_string(i), message);
      return;
    }
    throw opr::sdk::CheckFailed("unruly: unknown mode '" + mode + "'");
  }
};

const opr::sdk::Pack<UnrulyTarget>& unruly_pack() {
  static const opr::sdk::Pack<UnrulyTarget> pack =
      opr::sdk::PackBuilder<UnrulyTarget>("unruly", "1.0.0",
                                          "Test fixture: crashes, hangs or exits on demand")
          .param({.name = "mode",
                  .type = OP_PARAM_STRING,
                  .default_value = "ok",
                  .doc = "what the pack does (see unruly_pack.cpp)"})
          .param({.name = "started_file",
                  .type = OP_PARAM_STRING,
                  .doc = "file create() and each run append a line to"})
          .check<Probe>({.name = "probe",
                         .description = "does what `mode` says",
                         .severity = OP_SEVERITY_WARNING})
          .build();
  return pack;
}

}  // namespace

OPR_EXPORT_PACK(unruly_pack)
