// What TikvTarget refuses at create(), before anything runs: each refusal
// names the parameter, so that the host can point at the config's line.
#include "target_params.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "test_support.h"

namespace opr::tikv {
namespace {

using opr::test::contains;

// The parameter and message of the ParamProblem `action` throws.
struct Refusal {
  std::string param;
  std::string message;
};

Refusal refusal(const std::function<void()>& action) {
  try {
    action();
  } catch (const ParamProblem& e) {
    return {e.param(), e.what()};
  }
  ADD_FAILURE() << "nothing was refused";
  return {};
}

std::string pd(const std::optional<std::string>& value, const char* env = nullptr) {
  return choose_endpoint(value, env, "pd_endpoint", "PD_ENDPOINT", "PD's address");
}

TEST(TargetParams, EndpointsAreHttpOrHttpsWithoutTrailingSlashes) {
  EXPECT_EQ(pd("http://pd:2379/"), "http://pd:2379");
  EXPECT_EQ(pd(" https://pd.example:2379 "), "https://pd.example:2379");
  EXPECT_EQ(pd("http://prom:9090/prometheus/"), "http://prom:9090/prometheus");
}

TEST(TargetParams, AnyOtherSchemeOrNoneIsRefusedNamingTheParameterAndTheVariable) {
  for (const std::string url : {"ftp://pd:2379", "pd:2379", "10.0.1.1:2379", "file:///tmp/x"}) {
    const Refusal r = refusal([&] { pd(url); });
    EXPECT_EQ(r.param, "pd_endpoint") << url;
    EXPECT_EQ(
        r.message,
        "'pd_endpoint' (or PD_ENDPOINT) must be an http:// or https:// URL, got '" + url + "'");
  }
  EXPECT_EQ(refusal([] { pd("http://"); }).param, "pd_endpoint");
  // A password in the URL is not repeated.
  EXPECT_FALSE(contains(refusal([] { pd("ftp://u:secret@pd:2379"); }).message, "secret"));
}

TEST(TargetParams, TheEnvironmentVariableFillsAnUnsetOrBlankParameter) {
  EXPECT_EQ(pd(std::nullopt, "http://from-env:2379/"), "http://from-env:2379");
  EXPECT_EQ(pd(std::string("  "), "http://from-env:2379"), "http://from-env:2379");
  EXPECT_EQ(pd("http://param:2379", "http://from-env:2379"), "http://param:2379");
  const Refusal r = refusal([] { pd(std::nullopt, "ftp://from-env:2379"); });
  EXPECT_EQ(r.param, "pd_endpoint");
  EXPECT_EQ(r.message,
            "PD_ENDPOINT (read because 'pd_endpoint' is not set) must be an http:// or https:// "
            "URL, got 'ftp://from-env:2379'");
}

TEST(TargetParams, AnEndpointSetNowhereIsRefusedSayingBothWaysToSetIt) {
  for (const char* env : {static_cast<const char*>(nullptr), "", " "}) {
    const Refusal r = refusal([&] {
      choose_endpoint(std::nullopt, env, "prometheus_url", "PROMETHEUS_URL", "Prometheus' address");
    });
    EXPECT_EQ(r.param, "prometheus_url");
    EXPECT_EQ(r.message,
              "the tikv pack needs Prometheus' address: set the parameter 'prometheus_url' or the "
              "environment variable PROMETHEUS_URL");
  }
}

TEST(TargetParams, BearerAndBasicAuthAreExclusive) {
  for (const PrometheusAuth& auth :
       {PrometheusAuth{"/t", "operator", "/p"}, PrometheusAuth{"/t", "operator", std::nullopt},
        PrometheusAuth{"/t", std::nullopt, "/p"}}) {
    const Refusal r = refusal([&] { check_prometheus_auth(auth); });
    EXPECT_EQ(r.param, "prometheus_bearer_token_file");
    EXPECT_EQ(r.message,
              "set either prometheus_bearer_token_file or prometheus_username with "
              "prometheus_password_file, not both");
  }
}

TEST(TargetParams, BasicAuthWithoutOneOfItsHalvesNamesTheMissingOne) {
  const Refusal no_password = refusal([] {
    check_prometheus_auth({std::nullopt, "operator", std::nullopt});
  });
  EXPECT_EQ(no_password.param, "prometheus_password_file");
  EXPECT_TRUE(contains(no_password.message, "prometheus_password_file is not"))
      << no_password.message;
  const Refusal no_user = refusal([] {
    check_prometheus_auth({std::nullopt, std::nullopt, "/p"});
  });
  EXPECT_EQ(no_user.param, "prometheus_username");
  EXPECT_TRUE(contains(no_user.message, "prometheus_username is not")) << no_user.message;
}

TEST(TargetParams, ConsistentAuthSettingsPass) {
  EXPECT_NO_THROW(check_prometheus_auth({}));
  EXPECT_NO_THROW(check_prometheus_auth({"/t", std::nullopt, std::nullopt}));
  EXPECT_NO_THROW(check_prometheus_auth({std::nullopt, "operator", "/p"}));
}

TEST(TargetParams, ASecretIsTrimmedAndAnEmptyOneRefusedWithoutShowingTheContent) {
  EXPECT_EQ(secret_from("  s3cret\n", "prometheus_bearer_token_file", "/t"), "s3cret");
  EXPECT_EQ(secret_from("p@ss w0rd", "prometheus_password_file", "/p"), "p@ss w0rd");
  EXPECT_EQ(secret_from("p\xC3\xA4ss", "prometheus_password_file", "/p"), "p\xC3\xA4ss");
  for (const std::string content : {"", "\n", "   \n"}) {
    const Refusal r =
        refusal([&] { secret_from(content, "prometheus_password_file", "/run/secrets/p"); });
    EXPECT_EQ(r.param, "prometheus_password_file");
    EXPECT_EQ(r.message, "prometheus_password_file '/run/secrets/p' is empty");
  }
}

// What would go into an HTTP header raw (CR LF starts a header of its own)
// is refused, naming the kind of character, never the content; one line
// break at the end is how `echo` ends a file.
TEST(TargetParams, ASecretWithAControlCharacterIsRefusedWithoutShowingTheContent) {
  const std::string rule =
      ": a credentials file holds the secret on one line, with at most a line break after it";
  for (const auto& [content, kind] : std::vector<std::pair<std::string, std::string>>{
           {"s3cret\r\nX-Injected: yes", "a carriage return (CR)"},
           {"s3cret\r\n", "a carriage return (CR)"},
           {"s3cret\r", "a carriage return (CR)"},
           {"s3cret\nX-Injected: yes\n", "more than one line"},
           {"s3cret\n\n", "more than one line"},
           {"\ns3cret", "more than one line"},
           {"s3\tcret", "a control character"},
           {" \n\t\r\n", "more than one line"},
           {std::string("s3\0cret", 7), "a control character"},
           {"s3cret\x1b[2J", "a control character"},
           {"s3cret\x7f", "a control character"},
           {"s3cret\xC2\x85", "a control character"},  // NEL, a C1 control
       }) {
    const Refusal r =
        refusal([&] { secret_from(content, "prometheus_bearer_token_file", "/run/secrets/t"); });
    EXPECT_EQ(r.param, "prometheus_bearer_token_file");
    EXPECT_EQ(r.message, "prometheus_bearer_token_file '/run/secrets/t' holds " + kind + rule);
  }
}

}  // namespace
}  // namespace opr::tikv
