// The built tikv pack as the host loads it and creates its instances
// (tikv_instance.h): the table it declares, and what create() refuses,
// naming the parameter, before anything runs. No server is involved:
// create() must not touch the network.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pd_metric_rows.h"
#include "store_metric_rows.h"
#include "tikv_instance.h"

namespace opr::test {
namespace {

constexpr const char* kCannotCreate = "pack 'tikv' could not create an instance for target 't': ";

// The target YAML with both endpoints set (nothing answers on them) and `extra` lines.
std::string target(const std::string& extra = "") {
  return "    pack: tikv\n    pd_endpoint: http://127.0.0.1:9\n"
         "    prometheus_url: http://127.0.0.1:9\n" +
         extra;
}

// A parameter as the host read it from the descriptor: type, default, bounds.
std::string describe(const ParamDeclaration& p) {
  std::string text = p.name + " " + std::string(param_type_name(p.type));
  if (p.default_value) text += " " + *p.default_value;
  if (!p.bounds.empty()) text += " (" + p.bounds.describe() + ")";
  return text;
}

TEST(TikvPackDescriptor, DeclaresWhatTheReadmeDocuments) {
  const PackDeclaration& pack = *tikv_pack()->declaration;
  EXPECT_EQ(pack.name, "tikv");
  std::vector<std::string> params;
  for (const auto& p : pack.params) params.push_back(describe(p));
  EXPECT_EQ(params,
            (std::vector<std::string>{
                "pd_endpoint string", "prometheus_url string",
                "prometheus_bearer_token_file string", "prometheus_username string",
                "prometheus_password_file string", "store_list_max_age duration 30s (>= 0s)"}));
  for (const auto& p : pack.params) EXPECT_FALSE(p.required) << p.name;

  std::vector<std::string> checks;
  for (const auto& check : pack.checks) {
    std::string text = check.name + " severity " + std::to_string(check.default_severity) +
                       " grace " + std::to_string(check.default_grace.count()) + "ms:";
    for (const auto& p : check.params) text += " " + describe(p) + ";";
    checks.push_back(text);
  }
  // The per-store metric family follows, one check per row, as declared
  // from the table (store_metric_family_test checks the rows themselves).
  const auto rows = tikv::store_metric_rows();
  constexpr size_t kHandWritten = 5;  // store_up, latency, disk_space, pd_health, store_slow
  // Then the PD metric checks, a threshold per condition and a parameter per
  // window (pd_metric_test checks the rows themselves).
  const auto pd_rows = tikv::pd_metric_rows();
  ASSERT_EQ(checks.size(), kHandWritten + rows.size() + pd_rows.size());
  for (size_t i = 0; i < pd_rows.size(); ++i) {
    const auto& row = pd_rows[i];
    const auto severity =
        row.level == tikv::Level::kCritical ? OP_SEVERITY_CRITICAL : OP_SEVERITY_WARNING;
    std::string expected = std::string(row.name) + " severity " + std::to_string(severity) +
                           " grace " + std::to_string(row.grace.count() * 1000) + "ms:";
    for (const auto& c : row.conditions) {
      expected += " " + std::string(c.threshold_param) + " float " +
                  std::string(c.threshold_default) + " (>= 0);";
    }
    for (const auto& w : row.windows)
      expected +=
          " " + std::string(w.param) + " duration " + std::string(w.default_text) + " (> 0s);";
    EXPECT_EQ(checks[kHandWritten + rows.size() + i], expected);
  }
  checks.resize(kHandWritten + rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    const auto severity =
        row.level == tikv::Level::kCritical ? OP_SEVERITY_CRITICAL : OP_SEVERITY_WARNING;
    EXPECT_EQ(checks[kHandWritten + i],
              std::string(row.name) + " severity " + std::to_string(severity) + " grace " +
                  std::to_string(row.grace.count() * 1000) + "ms: threshold float " +
                  std::string(row.threshold_default) + ";" +
                  (row.window_default.empty()
                       ? ""
                       : " rate_window duration " + std::string(row.window_default) + " (> 0s);"));
  }
  checks.resize(kHandWritten);
  EXPECT_EQ(checks,
            (std::vector<std::string>{
                "store_up severity " + std::to_string(OP_SEVERITY_CRITICAL) +
                    " grace 0ms: include_tombstone bool false; offline_severity string warning;",
                "latency severity " + std::to_string(OP_SEVERITY_WARNING) +
                    " grace 60000ms: quantile float 0.99 (> 0 and < 1); rate_window duration 1m "
                    "(> 0s); threshold_ms float 100 (>= 0); recording_rule string;",
                "disk_space severity " + std::to_string(OP_SEVERITY_WARNING) +
                    " grace 0ms: threshold_percent float 70 (>= 0 and <= 100);",
                "pd_health severity " + std::to_string(OP_SEVERITY_CRITICAL) + " grace 0ms:",
                "store_slow severity " + std::to_string(OP_SEVERITY_CRITICAL) +
                    " grace 60000ms: threshold int 80 (>= 1 and <= 100);"}));
  // Intervals are the host's (defaults.interval), but for family rows
  // declaring one.
  for (size_t i = 0; i < pack.checks.size(); ++i) {
    const bool family_row = i >= kHandWritten && i < kHandWritten + rows.size();
    const auto declared = family_row ? rows[i - kHandWritten].interval : std::chrono::seconds(0);
    EXPECT_EQ(pack.checks[i].default_interval, declared) << pack.checks[i].name;
  }
}

TEST(TikvPackCreate, BearerAndBasicAuthAreExclusiveAndBasicNeedsBothHalves) {
  TempDir secrets;
  write_file(secrets / "token", "s3cret-t0ken\n");
  const std::string token =
      "    prometheus_bearer_token_file: " + (secrets / "token").string() + "\n";
  const std::string user = "    prometheus_username: operator\n";
  const std::string password =
      "    prometheus_password_file: " + (secrets / "token").string() + "\n";
  const std::string not_both =
      "set either prometheus_bearer_token_file or prometheus_username with "
      "prometheus_password_file, not both";
  struct Case {
    std::string lines;
    std::string param;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {token + user + password, "prometheus_bearer_token_file", not_both},
           {token + user, "prometheus_bearer_token_file", not_both},
           {token + password, "prometheus_bearer_token_file", not_both},
           {user, "prometheus_password_file",
            "prometheus_username is set but prometheus_password_file is not: basic auth needs "
            "both"},
           {password, "prometheus_username",
            "prometheus_password_file is set but prometheus_username is not: basic auth needs "
            "both"},
       }) {
    SCOPED_TRACE(c.lines);
    const Refusal refused = TikvInstance::refusal(target(c.lines));
    EXPECT_EQ(refused.message, kCannotCreate + c.message);
    EXPECT_EQ(refused.param, c.param);
    EXPECT_FALSE(contains(refused.message, "s3cret"));
  }
  // Each mode alone is accepted.
  EXPECT_NO_THROW(TikvInstance{target(token)});
  EXPECT_NO_THROW(TikvInstance{target(user + password)});
}

TEST(TikvPackCreate, ACredentialFileThatIsEmptyUnreadableOrNotOneLineIsRefusedByName) {
  TempDir secrets;
  write_file(secrets / "empty", "");
  write_file(secrets / "blank", "   \n");
  write_file(secrets / "crlf", "s3cret\r\n");
  std::filesystem::create_directory(secrets / "folder");
  struct Case {
    std::string lines;
    std::string param;
    std::string message;  // the whole reason, or its start when it quotes the C library
    bool whole = true;
  };
  const std::string empty = (secrets / "empty").string();
  const std::string blank = (secrets / "blank").string();
  const std::string folder = (secrets / "folder").string();
  const std::string missing = (secrets / "missing").string();
  const std::string crlf = (secrets / "crlf").string();
  for (const Case& c : std::vector<Case>{
           {"    prometheus_bearer_token_file: " + empty + "\n", "prometheus_bearer_token_file",
            "prometheus_bearer_token_file '" + empty + "' is empty"},
           {"    prometheus_bearer_token_file: " + blank + "\n", "prometheus_bearer_token_file",
            "prometheus_bearer_token_file '" + blank + "' is empty"},
           {"    prometheus_username: operator\n    prometheus_password_file: " + blank + "\n",
            "prometheus_password_file", "prometheus_password_file '" + blank + "' is empty"},
           {"    prometheus_bearer_token_file: " + crlf + "\n", "prometheus_bearer_token_file",
            "prometheus_bearer_token_file '" + crlf +
                "' holds a carriage return (CR): a credentials file holds the secret on one "
                "line, with at most a line break after it"},
           {"    prometheus_bearer_token_file: " + folder + "\n", "prometheus_bearer_token_file",
            "cannot read prometheus_bearer_token_file '" + folder + "': it is a directory"},
           {"    prometheus_bearer_token_file: " + missing + "\n", "prometheus_bearer_token_file",
            "cannot read prometheus_bearer_token_file '" + missing + "': ", false},
       }) {
    SCOPED_TRACE(c.lines);
    const Refusal refused = TikvInstance::refusal(target(c.lines));
    if (c.whole) {
      EXPECT_EQ(refused.message, kCannotCreate + c.message);
    } else {
      EXPECT_TRUE(refused.message.starts_with(kCannotCreate + c.message)) << refused.message;
    }
    EXPECT_EQ(refused.param, c.param);
  }
}

TEST(TikvPackCreate, AMissingEndpointNamesTheParameterAndTheVariable) {
  ScopedEnv pd("PD_ENDPOINT", nullptr);
  ScopedEnv prometheus("PROMETHEUS_URL", nullptr);
  const Refusal no_pd = TikvInstance::refusal("    pack: tikv\n");
  EXPECT_EQ(no_pd.message, std::string(kCannotCreate) +
                               "the tikv pack needs PD's address: set the parameter "
                               "'pd_endpoint' or the environment variable PD_ENDPOINT");
  EXPECT_EQ(no_pd.param, "pd_endpoint");

  // PD's address from the variable; Prometheus' from nowhere. An empty
  // parameter counts as unset.
  pd.set("http://127.0.0.1:9");
  const Refusal no_prometheus = TikvInstance::refusal("    pack: tikv\n    prometheus_url: ''\n");
  EXPECT_EQ(no_prometheus.message, std::string(kCannotCreate) +
                                       "the tikv pack needs Prometheus' address: set the "
                                       "parameter 'prometheus_url' or the environment variable "
                                       "PROMETHEUS_URL");
  EXPECT_EQ(no_prometheus.param, "prometheus_url");

  prometheus.set("http://127.0.0.1:9/prom/");
  EXPECT_NO_THROW(TikvInstance{"    pack: tikv\n"});

  // A bad value from the variable says where it came from.
  pd.set("pd:2379");
  const Refusal bad = TikvInstance::refusal("    pack: tikv\n");
  EXPECT_EQ(bad.message, std::string(kCannotCreate) +
                             "PD_ENDPOINT (read because 'pd_endpoint' is not set) must be an "
                             "http:// or https:// URL, got 'pd:2379'");
  EXPECT_EQ(bad.param, "pd_endpoint");
}

}  // namespace
}  // namespace opr::test
