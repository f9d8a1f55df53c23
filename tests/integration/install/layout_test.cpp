// One install layout: what `cmake --install` puts down, what the installed
// systemd unit runs, what the reference config reads and what the docs tell
// an admin are the same paths. The unit is the hub: every path it names
// must exist in the installed tree, the config must keep its database in
// the unit's state folder, and the docs' layout table must name them all.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using opr::test::contains;

// The unit's `Key=value` lines (a key set twice keeps the first value).
std::map<std::string, std::string> unit_settings(const std::string& text) {
  std::map<std::string, std::string> settings;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#' || line[0] == '[') continue;
    const auto eq = line.find('=');
    if (eq != std::string::npos) settings.emplace(line.substr(0, eq), line.substr(eq + 1));
  }
  return settings;
}

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The value after `--config` in a command line ("" when absent).
std::string config_argument(const std::vector<std::string>& command) {
  for (size_t i = 0; i + 1 < command.size(); ++i) {
    if (command[i] == "--config") return command[i + 1];
  }
  return "";
}

bool executable(const fs::path& file) {
  struct stat st {};
  return ::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & S_IXUSR) != 0;
}

// The rows of the docs' install layout table: `| what | package | cmake --install |`,
// with the paths' backquotes and trailing slashes removed.
struct LayoutRow {
  std::string what, package, cmake_install;
};
std::vector<LayoutRow> layout_table(const std::string& doc) {
  std::vector<LayoutRow> rows;
  const std::regex row(R"(^\| ([^|]+?) \| `([^`]+?)/?` \| `([^`]+?)/?` \|$)");
  std::istringstream lines(doc);
  std::string line;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (std::regex_match(line, m, row)) rows.push_back({m[1], m[2], m[3]});
  }
  return rows;
}

// This build, installed once with DESTDIR for every test below. Paths in the
// tests are absolute as the admin sees them; `in_root` finds them in the tree.
class InstallLayout : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new opr::test::TempDir;
    opr::test::ProcessOptions install;
    install.env["DESTDIR"] = root().string();
    install_ = new opr::test::CommandResult(opr::test::run_command(
        {OPR_TEST_CMAKE, "--install", opr::test::binary_dir().string()}, install, 240s));
  }
  static void TearDownTestSuite() {
    delete install_;
    delete dir_;
  }
  void SetUp() override { ASSERT_EQ(install_->exit_code, 0) << install_->out << install_->err; }
  static fs::path root() { return *dir_ / "root"; }
  static fs::path in_root(const std::string& path) {
    return root() / fs::path(path).relative_path();
  }
  // Where the install put the unit, as the admin sees it.
  static std::string unit_path() {
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(root(), ec)) {
      if (entry.path().filename() == "operator.service") {
        return "/" + fs::relative(entry.path(), root()).string();
      }
    }
    return "/nowhere/operator.service";
  }

 private:
  static inline opr::test::TempDir* dir_ = nullptr;
  static inline opr::test::CommandResult* install_ = nullptr;
};

TEST_F(InstallLayout, TheUnitTheReferenceConfigAndTheDocsNameWhatCmakeInstallPutsDown) {
  // The unit, where this prefix installs it.
  const fs::path unit_file = in_root(unit_path());
  const std::string unit_text = opr::test::read_file(unit_file);
  ASSERT_FALSE(unit_text.empty()) << unit_file;
  const auto unit = unit_settings(unit_text);
  EXPECT_FALSE(std::regex_search(unit_text, std::regex("@[A-Z_]+@")))
      << "an unconfigured @VALUE@ in the unit:\n"
      << unit_text;

  const auto start = words(unit.at("ExecStart"));
  const auto start_pre = words(unit.at("ExecStartPre"));
  ASSERT_FALSE(start.empty());
  const std::string host = start[0];
  EXPECT_TRUE(executable(in_root(host))) << host << " is what the unit runs";
  EXPECT_EQ(start_pre.at(0), host);
  const std::string config = config_argument(start);
  EXPECT_EQ(config_argument(start_pre), config) << "config check reads another file";
  EXPECT_TRUE(fs::is_regular_file(in_root(config))) << config;
  std::string env_file = unit.at("EnvironmentFile");
  if (!env_file.empty() && env_file[0] == '-') env_file.erase(0, 1);
  EXPECT_TRUE(fs::is_regular_file(in_root(env_file))) << env_file;
  EXPECT_EQ(fs::path(env_file).parent_path(), fs::path(config).parent_path());
  EXPECT_EQ(unit.at("StateDirectory"), "operator");
  const std::string state_dir = unit.at("WorkingDirectory");
  EXPECT_EQ(state_dir, "/var/lib/operator");  // what StateDirectory=operator makes

  // The reference config: its database in the state folder, and the packs
  // from the host's default (beside it), not from a folder of its own.
  const std::string config_text = opr::test::read_file(in_root(config));
  EXPECT_TRUE(contains(config_text, "\ndatabase: sqlite3://db=" + state_dir + "/tickets.db\n"));
  EXPECT_FALSE(contains(config_text, "\nplugin_dirs:")) << "the reference config pins packs";

  // The installed host, with the installed config, finds the installed packs.
  opr::test::ProcessOptions check;
  check.unset_env = {"OPERATOR_PLUGIN_PATH", "PD_ENDPOINT", "PROMETHEUS_URL", "OPERATOR_DB"};
  const auto result = opr::test::run_command(
      {in_root(host).string(), "config", "check", "--config", in_root(config).string()}, check);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "valid;")) << result.out << result.err;

  // The docs, as installed: the unit points at them, and their layout table
  // names every path above, for the package and for `cmake --install`.
  const auto doc_links = words(unit_text.substr(unit_text.find("Documentation=file://")));
  const std::string operations =
      doc_links.at(0).substr(std::string("Documentation=file://").size());
  const std::string doc_text = opr::test::read_file(in_root(operations));
  ASSERT_FALSE(doc_text.empty()) << operations;
  const auto rows = layout_table(doc_text);
  ASSERT_GE(rows.size(), 6u) << "no layout table in " << operations;
  std::vector<std::string> cmake_paths;
  for (const auto& row : rows) {
    cmake_paths.push_back(row.cmake_install);
    // The package's column is the same tree at prefix /usr.
    std::string as_package = row.cmake_install;
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"/usr/local/etc/", "/etc/"},
             {"/usr/local/lib/systemd/", "/lib/systemd/"},
             {"/usr/local/", "/usr/"}}) {
      if (as_package.rfind(from, 0) == 0) {
        as_package = to + as_package.substr(from.size());
        break;
      }
    }
    EXPECT_EQ(row.package, as_package) << row.what;
  }
  if (std::string(OPR_TEST_INSTALL_PREFIX) != "/usr/local") {
    GTEST_SKIP() << "the docs' table shows the default prefix, /usr/local; this build installs to "
                 << OPR_TEST_INSTALL_PREFIX;
  }
  for (const auto& row : rows) {
    if (row.cmake_install.rfind("/var/", 0) == 0) continue;  // made by systemd at the first start
    EXPECT_TRUE(fs::exists(in_root(row.cmake_install)))
        << row.what << ": the docs say " << row.cmake_install;
  }
  for (const std::string& path : {host, config, env_file, unit_path(), operations}) {
    const bool named = std::any_of(cmake_paths.begin(), cmake_paths.end(), [&](const auto& p) {
      return path == p || path.rfind(p + "/", 0) == 0;
    });
    EXPECT_TRUE(named) << path << " is missing from the docs' layout table";
  }
  EXPECT_TRUE(std::any_of(cmake_paths.begin(), cmake_paths.end(),
                          [&](const auto& p) { return p == state_dir + "/tickets.db"; }));
  EXPECT_TRUE(fs::is_regular_file(in_root(OPR_TEST_INSTALL_PREFIX "/lib/operator/packs/tikv.so")));
}

// systemd's own checks of the installed unit: it loads, runs an executable,
// and is hardened (the issue's bar: an exposure of 2.0 or better).
TEST_F(InstallLayout, SystemdAcceptsTheInstalledUnitAndRatesItsExposureAtMost2) {
  const std::string analyze = "/usr/bin/systemd-analyze";
  if (!fs::exists(analyze)) {
    GTEST_SKIP() << analyze << " is not installed (scripts/setup installs systemd)";
  }
  // Verified on this machine (its targets, /bin/kill) with the installed
  // tree's paths: a copy of the unit that runs the DESTDIR's executable.
  opr::test::TempDir copy;
  std::string text = opr::test::read_file(in_root(unit_path()));
  const std::string bin_dir = fs::path(OPR_TEST_INSTALL_PREFIX "/bin/").string();
  for (size_t at = 0; (at = text.find("=" + bin_dir, at)) != std::string::npos;) {
    text.insert(at + 1, root().string());
    at += root().string().size() + bin_dir.size();
  }
  opr::test::write_file(copy / "operator.service", text);
  auto result =
      opr::test::run_command({analyze, "verify", "--man=no", (copy / "operator.service").string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.out + result.err, "") << "systemd-analyze verify complains";

  result = opr::test::run_command(
      {analyze, "security", "--offline=yes", "--root=" + root().string(), unit_path()});
  const std::regex score(R"(Overall exposure level for operator\.service: ([0-9.]+))");
  std::smatch m;
  std::regex_search(result.out, m, score);
  ASSERT_EQ(m.size(), 2u) << result.out << result.err;
  EXPECT_LE(std::stod(m[1]), 2.0) << result.out;
}

}  // namespace
