#include <gtest/gtest.h>
#include <operator/plugin.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using opr::test::contains;

opr::test::CommandResult run(
    const std::vector<std::string>& argv,
    std::chrono::milliseconds timeout = 240s) {  // a build on a loaded machine
  // Nothing from the test's environment may steer the out-of-tree build.
  opr::test::ProcessOptions options;
  options.unset_env = {"CMAKE_PREFIX_PATH", "CFLAGS", "CXXFLAGS", "LDFLAGS",
                       "OPERATOR_PLUGIN_PATH"};
  return opr::test::run_command(argv, options, timeout);
}

TEST(Install, APackBuiltOutOfTreeAgainstTheInstalledSdkLoads) {
  opr::test::TempDir dir;
  const fs::path prefix = dir / "prefix";
  auto result = run(
      {OPR_TEST_CMAKE, "--install", opr::test::binary_dir().string(), "--prefix", prefix.string()});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  for (const char* file :
       {"bin/operator-host", "include/operator/plugin.h", "include/operator/plugin.hpp"}) {
    EXPECT_TRUE(fs::exists(prefix / file)) << file;
  }
  for (const char* pack : {"example.so", "tcp.so", "tikv.so", "exec.so"}) {
    EXPECT_TRUE(fs::exists(prefix / OPR_TEST_PACK_INSTALL_DIR / pack)) << pack;
  }
  const fs::path host = prefix / "bin/operator-host";
  // --prefix keeps everything inside it (no root needed), the service's
  // files too, and the unit runs this prefix's host with its config.
  EXPECT_TRUE(fs::is_regular_file(prefix / "etc/operator/operator.yaml"));
  EXPECT_TRUE(fs::is_regular_file(prefix / "etc/operator/operator.env"));
  const std::string unit = opr::test::read_file(prefix / "lib/systemd/system/operator.service");
  EXPECT_TRUE(contains(unit, "\nExecStart=" + host.string() + " --config " +
                                 (prefix / "etc/operator/operator.yaml").string() + "\n"))
      << unit;

  // The tutorial's steps: a copy of plugins/example, configured on its own;
  // then the C walk-through's, plugins/example-c, in a project that enables
  // no C++ at all and builds with -Werror (its CMakeLists.txt).
  const std::string abi = std::to_string(OP_ABI_MAJOR) + "." + std::to_string(OP_ABI_MINOR);
  struct OutOfTree {
    std::string folder;  // under plugins/
    std::string pack;    // its name, and its file's
  };
  for (const OutOfTree& pack : {OutOfTree{"example", "example"}, OutOfTree{"example-c", "tcp"}}) {
    SCOPED_TRACE(pack.folder);
    const fs::path source = dir / (pack.folder + "-src");
    fs::copy(opr::test::source_dir() / "plugins" / pack.folder, source,
             fs::copy_options::recursive);
    const fs::path build = dir / (pack.folder + "-build");
    result = run({OPR_TEST_CMAKE, "-S", source.string(), "-B", build.string(), "-G",
                  OPR_TEST_CMAKE_GENERATOR, "-DCMAKE_PREFIX_PATH=" + prefix.string()});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    result = run({OPR_TEST_CMAKE, "--build", build.string()});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;

    result = run({host.string(), "plugins", "list", "--plugin-dir", build.string()}, 30s);
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_TRUE(contains(result.out, pack.pack + " 1.0.0  (ABI " + abi + ")  " +
                                         (build / (pack.pack + ".so")).string()))
        << result.out;
  }

  // Without --plugin-dir, the installed host finds the installed packs.
  result = run({host.string(), "plugins", "list"}, 30s);
  EXPECT_TRUE(contains(result.out, (prefix / OPR_TEST_PACK_INSTALL_DIR / "example.so").string()))
      << result.out << result.err;
}

}  // namespace
