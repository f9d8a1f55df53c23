// What create() refuses about a target's program, before anything runs.
#include "program.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "test_support.h"

namespace opr::exec {
namespace {

using test::TempDir;
using test::write_file;

std::string problem(const std::vector<std::string>& command,
                    const std::string& path = "/usr/bin:/bin", const std::string& workdir = "") {
  try {
    resolve_program(command, path, workdir);
  } catch (const ParamProblem& e) {
    EXPECT_EQ(e.param(), "command");
    return e.what();
  }
  return "";
}

TEST(Program, AbsolutePathsAndNamesInPath) {
  EXPECT_EQ(resolve_program({"/bin/sh", "-c", "true"}, "", ""), "/bin/sh");
  EXPECT_EQ(resolve_program({"sh"}, "/nonexistent:/bin", ""), "/bin/sh");
}

TEST(Program, RefusesWhatCouldNotRun) {
  TempDir dir;
  write_file(dir / "script", "#!/bin/sh\n");
  ::chmod((dir / "script").c_str(), 0644);
  EXPECT_EQ(problem({}).rfind("command is empty", 0), 0u);
  EXPECT_EQ(problem({""}).rfind("command is empty", 0), 0u);
  EXPECT_EQ(problem({"/nonexistent/check_x"}),
            "command: cannot run '/nonexistent/check_x': No such file or directory");
  EXPECT_EQ(problem({dir.path().string()}),
            "command: cannot run '" + dir.path().string() + "': it is a directory");
  // No x bit at all: not even root may execute it.
  EXPECT_TRUE(test::contains(problem({(dir / "script").string()}), "it is not executable"));
  EXPECT_EQ(problem({"no-such-program-here"}),
            "command: program 'no-such-program-here' is not found in PATH (/usr/bin:/bin); write "
            "its absolute path");
  EXPECT_EQ(problem({"./script"}),
            "command: program './script' is a relative path; write an absolute path, or set "
            "workdir to the folder it is relative to");
  ::chmod((dir / "script").c_str(), 0755);
  EXPECT_EQ(resolve_program({"./script"}, "", dir.path().string()),
            dir.path().string() + "/./script");
}

TEST(Program, EnvironmentIsGivenWholeAndEntriesWin) {
  const auto env = child_environment({"LC_ALL=C", "FOO=a=b", "EMPTY="}, "/usr/bin", "de_DE.UTF-8",
                                     "de_DE.UTF-8", nullptr);
  EXPECT_EQ(env, (std::vector<std::string>{"PATH=/usr/bin", "LANG=de_DE.UTF-8", "LC_ALL=C",
                                           "FOO=a=b", "EMPTY="}));
  EXPECT_EQ(environment_value(env, "FOO"), "a=b");
  EXPECT_EQ(environment_value(env, "NOPE"), std::nullopt);
  EXPECT_EQ(child_environment({}, nullptr, nullptr, nullptr, nullptr).at(0),
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  for (const char* bad : {"NOEQUALS", "=x", "1A=x", "A-B=x"}) {
    try {
      child_environment({bad}, nullptr, nullptr, nullptr, nullptr);
      ADD_FAILURE() << bad;
    } catch (const ParamProblem& e) {
      EXPECT_EQ(e.param(), "env");
      EXPECT_TRUE(test::contains(e.what(), "'" + std::string(bad) + "' is not NAME=value"))
          << e.what();
    }
  }
}

TEST(Program, WorkdirMustBeAnAbsoluteDirectory) {
  TempDir dir;
  write_file(dir / "file", "");
  EXPECT_NO_THROW(check_workdir(""));
  EXPECT_NO_THROW(check_workdir(dir.path().string()));
  for (const std::string& bad :
       {std::string("relative"), (dir / "file").string(), (dir / "missing").string()}) {
    try {
      check_workdir(bad);
      ADD_FAILURE() << bad;
    } catch (const ParamProblem& e) {
      EXPECT_EQ(e.param(), "workdir");
    }
  }
}

}  // namespace
}  // namespace opr::exec
