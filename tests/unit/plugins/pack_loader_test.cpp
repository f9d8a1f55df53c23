#include "plugins/pack_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_support.h"

namespace opr::plugins {
namespace {

namespace fs = std::filesystem;

using test::contains;

TEST(PackLoader, LoadsTheExamplePack) {
  const LoadedPack pack = load_pack(test::example_pack());
  ASSERT_TRUE(pack.ok()) << pack.error;
  EXPECT_EQ(pack.error, "");
  EXPECT_STREQ(pack.descriptor->name, "example");
  EXPECT_EQ(pack.descriptor->abi_major, OP_ABI_MAJOR);
  ASSERT_EQ(pack.descriptor->check_count, 2u);
  EXPECT_STREQ(pack.descriptor->checks[0].name, "http_ok");
  EXPECT_STREQ(pack.descriptor->checks[1].name, "file_fresh");
  EXPECT_TRUE(pack.library);
}

TEST(PackLoader, ExplainsEachBrokenPackNamingTheFile) {
  const struct {
    const char* fixture;
    const char* cause;
  } cases[] = {
      {"bad", "not a shared library"},
      {"no_entry", "no entry symbol op_pack_entry"},
      {"newer_minor",
       "pack ABI 1.4 is newer than this host's 1.3; rebuild the pack against SDK 1.3 or upgrade "
       "operator-host"},
      {"reserved_param", "parameter #0 'interval': name is taken by an engine setting"},
      {"duplicate_check", "check #1 'same': check name is declared twice"},
      {"bad_default", "default \"lots\" is not a valid int"},
  };
  for (const auto& c : cases) {
    const fs::path file = test::fixture_pack(c.fixture);
    const LoadedPack pack = load_pack(file);
    EXPECT_FALSE(pack.ok()) << c.fixture;
    EXPECT_EQ(pack.file, file);
    EXPECT_TRUE(pack.error.starts_with(file.string() + ": ")) << pack.error;
    EXPECT_TRUE(contains(pack.error, c.cause)) << pack.error;
  }
  const fs::path file = test::fixture_pack("abi_major");
  EXPECT_EQ(load_pack(file).error, test::abi_major_refusal(file));
}

TEST(PackLoader, MissingFileIsAnErrorNotACrash) {
  const LoadedPack pack = load_pack("/nonexistent/pack.so");
  EXPECT_FALSE(pack.ok());
  EXPECT_TRUE(contains(pack.error, "/nonexistent/pack.so: ")) << pack.error;
}

TEST(PackLoader, LoadsEverySoInNameOrderAndKeepsGoingPastBrokenOnes) {
  test::TempDir dir;
  test::copy_pack(test::fixture_pack("newer_minor"), dir.path(), "a_newer.so");
  test::copy_pack(test::example_pack(), dir.path(), "b_example.so");
  test::copy_pack(test::fixture_pack("bad"), dir.path(), "c_bad.so");
  test::copy_pack(test::fixture_pack("throws"), dir.path(), "d_throws.so");
  test::write_file(dir / "README.txt", "not a pack, and not named like one");

  const auto packs = load_packs({dir.path()});
  ASSERT_EQ(packs.size(), 4u);
  EXPECT_EQ(packs[0].file.filename(), "a_newer.so");
  EXPECT_FALSE(packs[0].ok());
  EXPECT_TRUE(packs[1].ok()) << packs[1].error;
  EXPECT_FALSE(packs[2].ok());
  EXPECT_TRUE(packs[3].ok()) << packs[3].error;
  EXPECT_STREQ(packs[3].descriptor->name, "throws");
}

TEST(PackLoader, TwoPacksWithOneNameNameBothFiles) {
  test::TempDir dir;
  const auto first = test::copy_pack(test::example_pack(), dir.path(), "one.so");
  const auto second = test::copy_pack(test::example_pack(), dir.path(), "two.so");
  const auto packs = load_packs({dir.path()});
  ASSERT_EQ(packs.size(), 2u);
  EXPECT_TRUE(packs[0].ok());
  EXPECT_FALSE(packs[1].ok());
  EXPECT_EQ(packs[1].error, second.string() + ": pack name 'example' is already taken by " +
                                first.string() + "; remove one of the two files");
}

TEST(PackLoader, RefusesWritablePackFiles) {
  test::TempDir dir;
  const auto file = test::copy_pack(test::example_pack(), dir.path());
  fs::permissions(file, fs::perms(0777));
  const auto pack = load_pack(file);
  EXPECT_FALSE(pack.ok());
  EXPECT_TRUE(contains(pack.error, "chmod go-w " + file.string())) << pack.error;
}

TEST(PackLoader, ReportsAMissingFolder) {
  const auto packs = load_packs({"/nonexistent/packs"});
  ASSERT_EQ(packs.size(), 1u);
  EXPECT_FALSE(packs[0].ok());
  EXPECT_TRUE(contains(packs[0].error, "/nonexistent/packs: plugin folder does not exist"))
      << packs[0].error;
}

TEST(PackLoader, DefaultFoldersComeFromTheEnvironmentFirst) {
  test::ScopedEnv plugin_path("OPERATOR_PLUGIN_PATH", "/a/packs::/b/packs");
  EXPECT_EQ(default_plugin_dirs(), (std::vector<fs::path>{"/a/packs", "/b/packs"}));
  plugin_path.unset();
  const auto dirs = default_plugin_dirs();
  ASSERT_EQ(dirs.size(), 1u);
  EXPECT_TRUE(contains(dirs[0].string(), "operator/packs")) << dirs[0];
}

}  // namespace
}  // namespace opr::plugins
