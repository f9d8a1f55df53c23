// `notify` receivers, and labels and annotations merged from the defaults,
// the target and the check.
#include <gtest/gtest.h>

#include <string>

#include "config/config.h"
#include "test_packs.h"
#include "test_support.h"

namespace opr::config {
namespace {

using namespace std::chrono_literals;

const CheckConfig& check_of(const Config& config, const std::string& check) {
  for (const auto& c : config.targets.at(0).checks) {
    if (c.name == check) return c;
  }
  throw std::runtime_error("no check " + check);
}

TEST(NotifyConfig, LabelsAndAnnotationsMergeDefaultsThenTargetThenCheck) {
  const Config config = test::load_text(
      "defaults:\n"
      "  labels: {team: storage, env: prod}\n"
      "  annotations: {runbook_url: https://runbooks/tikv}\n"
      "targets:\n"
      "  - name: prod\n"
      "    pack: tikv\n"
      "    labels: {env: production, cluster: east}\n"
      "    checks:\n"
      "      latency:\n"
      "        labels: {team: latency-squad}\n"
      "        annotations: {runbook_url: https://runbooks/latency, dashboard: d/1}\n");
  const TargetConfig& target = config.targets.at(0);
  EXPECT_EQ(target.labels,
            (LabelMap{{"team", "storage"}, {"env", "production"}, {"cluster", "east"}}));
  EXPECT_EQ(check_of(config, "store_up").labels, target.labels);
  EXPECT_EQ(check_of(config, "store_up").annotations,
            (LabelMap{{"runbook_url", "https://runbooks/tikv"}}));
  EXPECT_EQ(check_of(config, "latency").labels,
            (LabelMap{{"team", "latency-squad"}, {"env", "production"}, {"cluster", "east"}}));
  EXPECT_EQ(check_of(config, "latency").annotations,
            (LabelMap{{"runbook_url", "https://runbooks/latency"}, {"dashboard", "d/1"}}));
}

TEST(NotifyConfig, ReceiversKeepTheirTypeMatchersAndDeliverySettings) {
  opr::test::TempDir dir;
  opr::test::write_file(dir / "secret", "s3cret\n");
  opr::test::write_file(dir / "token", "t0ken\n");
  const Config config = test::load_text(
      "notify:\n"
      "  - name: am\n"
      "    type: alertmanager\n"
      "    urls: ['http://am1:9093', 'http://am2:9093']\n"
      "    resend_interval: 30s\n"
      "  - name: hook\n"
      "    type: webhook\n"
      "    url: https://hooks.example/operator\n"
      "    headers: {X-Team: storage}\n"
      "    bearer_token_file: " +
      (dir / "token").string() +
      "\n"
      "    secret_file: " +
      (dir / "secret").string() +
      "\n"
      "    match: {severity: critical, target: prod, check: [store_up, 'latency:failed'],"
      " labels: {team: storage}}\n"
      "    repeat_interval: 4h\n"
      "    retry: {initial_backoff: 2s, max_backoff: 1m, give_up_after: 6h}\n"
      "    timeout: 5s\n"
      "  - name: mail\n"
      "    type: command\n"
      "    command: [/usr/local/bin/page, --team, storage]\n"
      "targets:\n"
      "  - name: prod\n"
      "    pack: tikv\n");
  ASSERT_EQ(config.receivers.size(), 3u);
  const ReceiverConfig& am = config.receivers[0];
  EXPECT_EQ(am.type, ReceiverType::alertmanager);
  EXPECT_EQ(am.urls, (std::vector<std::string>{"http://am1:9093", "http://am2:9093"}));
  EXPECT_EQ(am.resend_interval, 30s);
  EXPECT_EQ(am.retry, RetryConfig{});
  EXPECT_EQ(am.repeat_interval, 0s);
  EXPECT_EQ(am.mark.line, 2);

  const ReceiverConfig& hook = config.receivers[1];
  EXPECT_EQ(hook.type, ReceiverType::webhook);
  EXPECT_EQ(hook.urls, (std::vector<std::string>{"https://hooks.example/operator"}));
  ASSERT_EQ(hook.headers.size(), 1u);
  EXPECT_EQ(hook.headers[0].first, "X-Team");
  EXPECT_EQ(hook.bearer_token_file, dir / "token");
  EXPECT_EQ(hook.secret_file, dir / "secret");
  EXPECT_EQ(hook.match.severities, (std::vector<Severity>{Severity::critical}));
  EXPECT_EQ(hook.match.targets, (std::vector<std::string>{"prod"}));
  EXPECT_EQ(hook.match.checks, (std::vector<std::string>{"store_up", "latency:failed"}));
  EXPECT_EQ(hook.match.labels, (LabelMap{{"team", "storage"}}));
  EXPECT_EQ(hook.repeat_interval, 4h);
  EXPECT_EQ(hook.retry.initial_backoff, 2s);
  EXPECT_EQ(hook.retry.max_backoff, 1min);
  EXPECT_EQ(hook.retry.give_up_after, 6h);
  EXPECT_EQ(hook.timeout, 5s);

  const ReceiverConfig& mail = config.receivers[2];
  EXPECT_EQ(mail.type, ReceiverType::command);
  EXPECT_EQ(mail.command, (std::vector<std::string>{"/usr/local/bin/page", "--team", "storage"}));
}

TEST(NotifyConfig, RelativeSecretFilesAreTakenFromTheConfigsFolder) {
  const auto file = test::write_text(
      "notify:\n  - {name: hook, type: webhook, url: 'http://127.0.0.1:9/', secret_file: "
      "hook.key}\n");
  opr::test::write_file(file.parent_path() / "hook.key", "k\n");
  const Config config = load_config(file, test::test_catalog());
  EXPECT_EQ(config.receivers.at(0).secret_file, file.parent_path() / "hook.key");
}

}  // namespace
}  // namespace opr::config
