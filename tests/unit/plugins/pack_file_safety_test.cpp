#include "plugins/pack_file_safety.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_support.h"

namespace opr::plugins {
namespace {

namespace fs = std::filesystem;

class PackFileSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = dir_ / "packs";
    fs::create_directory(folder_);
    fs::permissions(folder_, fs::perms(0755));
    file_ = folder_ / "pack.so";
    test::write_file(file_, "x");
    fs::permissions(file_, fs::perms(0755));
  }
  std::string error() { return check_pack_file_safety(file_).value_or(""); }

  test::TempDir dir_;
  fs::path folder_;
  fs::path file_;
};

TEST_F(PackFileSafetyTest, AcceptsAFileOnlyItsOwnerCanWrite) { EXPECT_EQ(error(), ""); }

TEST_F(PackFileSafetyTest, RefusesAGroupWritableFileAndSaysHowToFixIt) {
  fs::permissions(file_, fs::perms(0775));
  EXPECT_EQ(error(), "the file " + file_.string() +
                         " is writable by group or others (mode 0775); loading a pack runs its "
                         "code. Fix: chmod go-w " +
                         file_.string());
}

TEST_F(PackFileSafetyTest, RefusesAWorldWritableFile) {
  fs::permissions(file_, fs::perms(0757));
  EXPECT_NE(error().find("chmod go-w " + file_.string()), std::string::npos) << error();
}

TEST_F(PackFileSafetyTest, RefusesAWritableFolder) {
  fs::permissions(folder_, fs::perms(0777));
  EXPECT_NE(error().find("the folder " + folder_.string() + " is writable by group or others"),
            std::string::npos)
      << error();
  EXPECT_NE(error().find("chmod go-w " + folder_.string()), std::string::npos);
}

TEST_F(PackFileSafetyTest, RefusesAStickyWorldWritableFolderLikeTmp) {
  fs::permissions(folder_, fs::perms(01777));
  EXPECT_NE(error().find("mode 1777"), std::string::npos) << error();
}

TEST_F(PackFileSafetyTest, ChecksTheFolderASymlinkPointsInto) {
  const fs::path open_folder = dir_ / "open";
  fs::create_directory(open_folder);
  const fs::path real = open_folder / "real.so";
  test::write_file(real, "x");
  fs::permissions(real, fs::perms(0755));
  fs::permissions(open_folder, fs::perms(0777));
  fs::create_symlink(real, folder_ / "link.so");
  const auto error = check_pack_file_safety(folder_ / "link.so");
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("chmod go-w " + open_folder.string()), std::string::npos) << *error;
}

}  // namespace
}  // namespace opr::plugins
