// What create() refuses about a target's program, before anything runs.
#include "program.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "test_support.h"

namespace opr::exec {
namespace {

using test::TempDir;
using test::write_file;

// The refusal's message ("" when none), which must name `command`.
std::string problem(const std::vector<std::string>& command,
                    const std::string& path = "/usr/bin:/bin", const std::string& workdir = "") {
  std::string program;
  const auto refusal = resolve_program(command, path, workdir, program);
  if (!refusal) return "";
  EXPECT_EQ(refusal->param, "command");
  return refusal->message;
}

// The program resolve_program finds ("" when it refuses).
std::string resolved(const std::vector<std::string>& command, const std::string& path,
                     const std::string& workdir) {
  std::string program;
  return resolve_program(command, path, workdir, program) ? "" : program;
}

std::vector<std::string> environment(const std::vector<std::string>& env, const char* path,
                                     const char* lang, const char* lc_all) {
  std::vector<std::string> out;
  EXPECT_FALSE(child_environment(env, path, lang, lc_all, nullptr, out));
  return out;
}

TEST(Program, AbsolutePathsAndNamesInPath) {
  EXPECT_EQ(resolved({"/bin/sh", "-c", "true"}, "", ""), "/bin/sh");
  EXPECT_EQ(resolved({"sh"}, "/nonexistent:/bin", ""), "/bin/sh");
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
  EXPECT_EQ(resolved({"./script"}, "", dir.path().string()), dir.path().string() + "/./script");
}

TEST(Program, EnvironmentIsGivenWholeAndEntriesWin) {
  const auto env =
      environment({"LC_ALL=C", "FOO=a=b", "EMPTY="}, "/usr/bin", "de_DE.UTF-8", "de_DE.UTF-8");
  EXPECT_EQ(env, (std::vector<std::string>{"PATH=/usr/bin", "LANG=de_DE.UTF-8", "LC_ALL=C",
                                           "FOO=a=b", "EMPTY="}));
  EXPECT_EQ(environment_value(env, "FOO"), "a=b");
  EXPECT_EQ(environment_value(env, "NOPE"), std::nullopt);
  EXPECT_EQ(environment({}, nullptr, nullptr, nullptr).at(0),
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  for (const char* bad : {"NOEQUALS", "=x", "1A=x", "A-B=x"}) {
    std::vector<std::string> out;
    const auto refusal = child_environment({bad}, nullptr, nullptr, nullptr, nullptr, out);
    ASSERT_TRUE(refusal) << bad;
    EXPECT_EQ(refusal->param, "env");
    EXPECT_TRUE(test::contains(refusal->message, "'" + std::string(bad) + "' is not NAME=value"))
        << refusal->message;
  }
}

TEST(Program, WorkdirMustBeAnAbsoluteDirectory) {
  TempDir dir;
  write_file(dir / "file", "");
  EXPECT_FALSE(check_workdir(""));
  EXPECT_FALSE(check_workdir(dir.path().string()));
  for (const std::string& bad :
       {std::string("relative"), (dir / "file").string(), (dir / "missing").string()}) {
    const auto refusal = check_workdir(bad);
    ASSERT_TRUE(refusal) << bad;
    EXPECT_EQ(refusal->param, "workdir");
  }
}

}  // namespace
}  // namespace opr::exec
