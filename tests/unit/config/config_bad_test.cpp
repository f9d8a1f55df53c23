// Configs a user gets wrong: each must fail before anything runs, with a
// message that says what is wrong and the line and column where it is.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "config/config.h"
#include "pack_declarations.h"
#include "test_packs.h"

namespace opr::config {
namespace {

struct BadConfig {
  std::string name;
  std::string yaml;
  int line;
  int column;
  std::string message;  // exact, without the "FILE:LINE:COLUMN: " prefix
};

std::ostream& operator<<(std::ostream& out, const BadConfig& c) { return out << c.name; }

class BadConfigTest : public ::testing::TestWithParam<BadConfig> {};

TEST_P(BadConfigTest, FailsWithMessageAtLineAndColumn) {
  const BadConfig& c = GetParam();
  try {
    test::load_text(c.yaml);
    FAIL() << "config was accepted:\n" << c.yaml;
  } catch (const ConfigError& e) {
    // A message ending in ": " is ours up to there; the rest is the YAML
    // parser's wording, which is not asserted.
    const bool ours_in_part = c.message.ends_with(": ");
    const std::string position = test::last_config_path().string() + ":" + std::to_string(c.line) +
                                 ":" + std::to_string(c.column) + ": ";
    if (ours_in_part) {
      EXPECT_TRUE(e.message().starts_with(c.message)) << e.message();
      EXPECT_GT(e.message().size(), c.message.size()) << "the parser's reason is missing";
      EXPECT_TRUE(std::string(e.what()).starts_with(position + c.message)) << e.what();
    } else {
      EXPECT_EQ(e.message(), c.message);
      EXPECT_EQ(std::string(e.what()), position + c.message);
    }
    EXPECT_EQ(e.mark().line, c.line) << e.what();
    EXPECT_EQ(e.mark().column, c.column) << e.what();
    EXPECT_EQ(e.mark().file, test::last_config_path().string());
  }
}

// A target of the tikv test pack whose latency check gets `latency_body`.
std::string tikv_with_latency(const std::string& latency_body) {
  return "targets:\n"
         "  - name: prod\n"
         "    pack: tikv\n"
         "    checks:\n"
         "      latency: " +
         latency_body + "\n";
}

// A target of the files test pack whose fresh check gets `fresh_body`.
std::string files_with_fresh(const std::string& fresh_body) {
  return "targets:\n"
         "  - name: logs\n"
         "    pack: files\n"
         "    root: /r\n"
         "    checks:\n"
         "      fresh: " +
         fresh_body + "\n";
}

const BadConfig kBadConfigs[] = {
    {"YamlSyntax", "targets: [\n  - name: a\n", 2, 3, "YAML syntax error: "},
    {"EmptyFile", "", 1, 1,
     "the config file is empty; it needs at least 'targets' (see config/operator.yaml)"},
    {"CommentsOnly", "# nothing yet\n", 1, 1,
     "the config file is empty; it needs at least 'targets' (see config/operator.yaml)"},
    {"TopLevelList", "- name: a\n", 1, 1,
     "the config must be a mapping of keys (database, plugin_dirs, targets, ...), got a list"},
    {"UnknownTopLevelKey", "databse: x.db\ntargets: []\n", 1, 1,
     "unknown key 'databse' at the top level; did you mean 'database'?"},
    {"UnknownCheckKey", tikv_with_latency("{intreval: 10s}"), 5, 17,
     "unknown key 'intreval' in check 'latency' of target 'prod'; did you mean 'interval'?"},
    {"UnknownKeyNothingClose", tikv_with_latency("{colour: red}"), 5, 17,
     "unknown key 'colour' in check 'latency' of target 'prod'; known keys: enabled, interval, "
     "timeout, grace, severity, failed_severity, labels, annotations, quantile, rate_window, "
     "threshold_ms, recording_rule"},
    {"IntParamGivenText", files_with_fresh("{path: p, retries: abc}"), 6, 33,
     "'retries' in check 'fresh' of target 'logs' must be an int, got 'abc'"},
    {"IntParamGivenFraction", files_with_fresh("{path: p, retries: 1.5}"), 6, 33,
     "'retries' in check 'fresh' of target 'logs' must be an int, got '1.5'"},
    {"FloatParamGivenText", tikv_with_latency("{threshold_ms: fast}"), 5, 31,
     "'threshold_ms' in check 'latency' of target 'prod' must be a number, got 'fast'"},
    {"FloatParamGivenList", tikv_with_latency("{quantile: [0.9]}"), 5, 27,
     "'quantile' in check 'latency' of target 'prod' must be a number, got a list"},
    {"DurationWithoutUnit", tikv_with_latency("{interval: 30}"), 5, 27,
     "bad duration '30' for 'interval' in check 'latency' of target 'prod': a duration needs a "
     "unit; write 30s"},
    {"DurationParamWithoutUnit", tikv_with_latency("{rate_window: 60}"), 5, 30,
     "bad duration '60' for 'rate_window' in check 'latency' of target 'prod': a duration needs "
     "a unit; write 60s"},
    {"DurationInWords", tikv_with_latency("{grace: 5 minutes}"), 5, 24,
     "bad duration '5 minutes' for 'grace' in check 'latency' of target 'prod': write a number "
     "and a unit (ms, s, m or h), e.g. 250ms, 30s, 5m, 1h"},
    {"ZeroInterval", tikv_with_latency("{interval: 0s}"), 5, 27,
     "'interval' in check 'latency' of target 'prod' must be greater than 0, got '0s'"},
    {"ZeroTimeout", "targets:\n  - name: prod\n    pack: tikv\n    timeout: 0ms\n", 4, 14,
     "'timeout' in target 'prod' must be greater than 0, got '0ms'"},
    {"BadSeverity", tikv_with_latency("{severity: urgent}"), 5, 27,
     "bad severity 'urgent' for 'severity' in check 'latency' of target 'prod': use info, "
     "warning or critical"},
    {"EnabledYes", tikv_with_latency("{enabled: yes}"), 5, 26,
     "'enabled' in check 'latency' of target 'prod' must be true or false, got 'yes'"},
    {"MissingRequiredCheckParam",
     "targets:\n  - name: logs\n    pack: files\n    root: /var\n    checks:\n      fresh: "
     "{max_age: 5m}\n",
     6, 7,
     "missing required parameter 'path' (string) in check 'fresh' of target 'logs': the file "
     "to watch"},
    {"MissingRequiredParamOfUnlistedCheck",
     "targets:\n  - name: logs\n    pack: files\n    root: /var\n", 2, 5,
     "missing required parameter 'path' (string) in check 'fresh' of target 'logs': the file "
     "to watch"},
    {"MissingRequiredPackParam",
     "targets:\n  - name: logs\n    pack: files\n    checks:\n      fresh: {path: x}\n", 2, 5,
     "missing required parameter 'root' (string) in target 'logs': the folder every path is "
     "under"},
    {"UnknownPack", "targets:\n  - name: prod\n    pack: tikvv\n", 3, 11,
     "unknown pack 'tikvv' in target 'prod' (loaded packs: files, tikv); did you mean 'tikv'?"},
    {"UnknownCheck", tikv_with_latency("{}") + "      latncy: {}\n", 6, 7,
     "unknown check 'latncy' in target 'prod' (pack 'tikv' has: store_up, latency, "
     "disk_space, pd_health, store_slow, write_stall, channel_full, raft_log_lag, "
     "async_write_duration, "
     "async_snapshot_duration, raft_append_log_duration, raft_apply_log_duration, "
     "scheduler_latch_wait, coprocessor_wait, raftstore_cpu, apply_cpu, unreachable_reports, "
     "memory_growth, gc_not_working, node_restart, scheduler_pending, worker_pending_tasks, "
     "leader_drops, raft_process_ready, raft_process_tick, scheduler_command_duration, "
     "coprocessor_request_error, coprocessor_lock_error, region_health, cluster_space, pd_etcd, "
     "tso_latency, pd_node_restart); did you mean 'latency'?"},
    {"DuplicateTargetName",
     "targets:\n  - name: prod\n    pack: tikv\n  - name: prod\n    pack: tikv\n", 4, 11,
     "duplicate target name 'prod' (first at line 2)"},
    {"MissingName", "targets:\n  - pack: tikv\n", 2, 5, "a target needs a 'name'"},
    {"MissingPack", "targets:\n  - name: prod\n", 2, 5, "target 'prod' needs a 'pack'"},
    {"BadTargetName", "targets:\n  - name: prod/tikv\n    pack: tikv\n", 2, 11,
     "bad target name 'prod/tikv': use letters, digits, '_', '.' and '-' only (it becomes part "
     "of violation keys target/check/subject)"},
    {"BadIsolation", "targets:\n  - name: prod\n    pack: tikv\n    isolation: thread\n", 4, 16,
     "bad value 'thread' for 'isolation' in target 'prod': use one of process, in_process"},
    {"IsolationOfACheck", tikv_with_latency("{isolation: in_process}"), 5, 17,
     "unknown key 'isolation' in check 'latency' of target 'prod'; known keys: enabled, "
     "interval, timeout, grace, severity, failed_severity, labels, annotations, quantile, "
     "rate_window, threshold_ms, recording_rule"},
    {"RunnerMemoryTooSmall", "defaults: {runner_memory_mb: 16}\ntargets: []\n", 1, 30,
     "'runner_memory_mb' in 'defaults' must be 0 (no limit) or at least 256, got 16"},
    {"RunnerOpenFilesNegative",
     "targets:\n  - name: prod\n    pack: tikv\n    runner_open_files: -1\n", 4, 24,
     "'runner_open_files' in target 'prod' must be between 0 and 1073741824, got -1"},
    {"UnsetVariable",
     "targets:\n  - name: prod\n    pack: tikv\n    pd_endpoint: ${OPR_TEST_UNSET_VARIABLE}\n", 4,
     18,
     "environment variable 'OPR_TEST_UNSET_VARIABLE' is not set (set it, or give a default: "
     "${OPR_TEST_UNSET_VARIABLE:-value})"},
    {"UnterminatedVariable", "database: ${OPERATOR_DB\n", 1, 11,
     "unterminated '${' (close it with '}', or write $$ for a dollar)"},
    {"KeyGivenTwice", tikv_with_latency("{grace: 1s, grace: 2s}"), 5, 28,
     "key 'grace' is given twice (first at line 5)"},
    {"StringListGivenText",
     "targets:\n  - name: logs\n    pack: files\n    root: /var\n    tags: web\n    checks:\n"
     "      fresh: {path: x}\n",
     5, 11, "'tags' in target 'logs' must be a list such as [a, b], got a value"},
    {"StringParamGivenList",
     "targets:\n  - name: logs\n    pack: files\n    root: /var\n    api_token: [s3cr3t]\n", 5, 16,
     "'api_token' in target 'logs' must be a string, got a list"},
    {"BadLogFormat", "log: {format: xml}\n", 1, 15,
     "bad value 'xml' for 'format' in 'log': use one of text, json"},
    {"ZeroFailureThreshold", "defaults:\n  failure_threshold: 0\n", 2, 22,
     "'failure_threshold' in 'defaults' must be at least 1, got 0"},
    {"TargetsNotAList", "targets:\n  name: prod\n", 2, 3,
     "'targets' must be a list of targets (each '- name: ...'), got a mapping"},
    {"ChecksAsList", "targets:\n  - name: prod\n    pack: tikv\n    checks: [latency]\n", 4, 13,
     "'checks' in target 'prod' must be a mapping of keys, got a list"},
    {"TargetNotAMapping", "targets:\n  - prod\n", 2, 5,
     "a target must be a mapping with 'name' and 'pack', got a value"},
    {"CheckSectionNotAMapping", tikv_with_latency("5s"), 5, 16,
     "check 'latency' of target 'prod' must be a mapping of keys, got a value"},
    {"MisspeltPackParameter",
     "targets:\n  - name: prod\n    pack: tikv\n    pd_endpont: http://pd:2379\n", 4, 5,
     "unknown key 'pd_endpont' in target 'prod'; did you mean 'pd_endpoint'?"},
    {"DurationAtItsExclusiveMinimum",
     "targets:\n  - name: logs\n    pack: files\n    root: /var\n    checks:\n"
     "      fresh: {path: x, max_age: 0s}\n",
     6, 33, "'max_age' in check 'fresh' of target 'logs' must be > 0s, got 0s"},
    {"FloatAboveItsMaximum",
     "targets:\n  - name: logs\n    pack: files\n    root: /var\n    checks:\n"
     "      fresh: {path: x, weight: 10.5}\n",
     6, 32, "'weight' in check 'fresh' of target 'logs' must be >= 0 and <= 10, got 10.5"},
    {"IntAboveItsMaximum",
     "targets:\n  - name: logs\n    pack: files\n    root: /var\n    checks:\n"
     "      fresh: {path: x, retries: 101}\n",
     6, 33, "'retries' in check 'fresh' of target 'logs' must be <= 100, got 101"},
    // The tikv pack's declared bounds, read from the built pack.
    {"QuantileAtItsExclusiveMinimum", tikv_with_latency("{quantile: 0}"), 5, 27,
     "'quantile' in check 'latency' of target 'prod' must be > 0 and < 1, got 0"},
    {"QuantileAtItsExclusiveMaximum", tikv_with_latency("{quantile: 1}"), 5, 27,
     "'quantile' in check 'latency' of target 'prod' must be > 0 and < 1, got 1"},
    {"QuantileNegative", tikv_with_latency("{quantile: -0.5}"), 5, 27,
     "'quantile' in check 'latency' of target 'prod' must be > 0 and < 1, got -0.5"},
    {"QuantileAsPercentile", tikv_with_latency("{quantile: 99}"), 5, 27,
     "'quantile' in check 'latency' of target 'prod' must be > 0 and < 1, got 99"},
    // YAML's spellings of infinity and NaN (and strtod's) are no threshold.
    {"ThresholdInfinite", tikv_with_latency("{threshold_ms: .inf}"), 5, 31,
     "'threshold_ms' in check 'latency' of target 'prod' must be a number, got '.inf'"},
    {"ThresholdNegativeInfinite", tikv_with_latency("{threshold_ms: -.inf}"), 5, 31,
     "'threshold_ms' in check 'latency' of target 'prod' must be a number, got '-.inf'"},
    {"ThresholdNan", tikv_with_latency("{threshold_ms: .nan}"), 5, 31,
     "'threshold_ms' in check 'latency' of target 'prod' must be a number, got '.nan'"},
    {"ThresholdInfWord", tikv_with_latency("{threshold_ms: inf}"), 5, 31,
     "'threshold_ms' in check 'latency' of target 'prod' must be a number, got 'inf'"},
    {"ThresholdNanWord", tikv_with_latency("{threshold_ms: NaN}"), 5, 31,
     "'threshold_ms' in check 'latency' of target 'prod' must be a number, got 'NaN'"},
    {"ThresholdOverflowing", tikv_with_latency("{threshold_ms: 1e999}"), 5, 31,
     "'threshold_ms' in check 'latency' of target 'prod' must be a number, got '1e999'"},
    {"DiskThresholdInfinite",
     "targets:\n  - name: prod\n    pack: tikv\n    checks:\n"
     "      disk_space: {threshold_percent: .inf}\n",
     5, 39,
     "'threshold_percent' in check 'disk_space' of target 'prod' must be a number, got '.inf'"},
    {"BadFailedSeverity", tikv_with_latency("{failed_severity: loud}"), 5, 34,
     "bad severity 'loud' for 'failed_severity' in check 'latency' of target 'prod': use info, "
     "warning or critical"},
    {"PluginDirsAsText", "plugin_dirs: /usr/lib/operator/packs\n", 1, 14,
     "'plugin_dirs' must be a list of folders such as [/usr/lib/operator/packs], got a value"},
};

INSTANTIATE_TEST_SUITE_P(Config, BadConfigTest, ::testing::ValuesIn(kBadConfigs),
                         [](const auto& info) { return info.param.name; });

// `notify` receivers, and labels and annotations.
const BadConfig kBadNotifyConfigs[] = {
    {"NotifyNotAList", "notify: {name: x}\n", 1, 9,
     "'notify' must be a list of receivers (each '- name: ...'), got a mapping"},
    {"ReceiverWithoutType", "notify:\n  - name: hook\n    url: http://x\n", 2, 5,
     "receiver 'hook' needs 'type'"},
    {"UnknownReceiverType", "notify:\n  - name: hook\n    type: email\n", 3, 11,
     "bad value 'email' for 'type' of receiver 'hook': use one of alertmanager, webhook, "
     "command"},
    {"KeyOfAnotherReceiverType",
     "notify:\n  - name: am\n    type: alertmanager\n    urls: ['http://a:9093']\n"
     "    secret_file: s\n",
     5, 5,
     "unknown key 'secret_file' in receiver 'am' (type alertmanager); known keys: name, type, "
     "match, repeat_interval, retry, timeout, urls, resend_interval"},
    {"WebhookUrlNotHttp", "notify:\n  - name: hook\n    type: webhook\n    url: ftp://x\n", 4, 10,
     "'url' of receiver 'hook' must be an http:// or https:// URL, got 'ftp://x'"},
    {"DuplicateReceiver",
     "notify:\n  - {name: hook, type: command, command: [a]}\n"
     "  - {name: hook, type: command, command: [b]}\n",
     3, 12, "duplicate receiver name 'hook' (first at line 2)"},
    {"CommandNotAList", "notify:\n  - name: mail\n    type: command\n    command: /bin/mail\n", 4,
     14, "'command' of receiver 'mail' must be a list: the program and its arguments (no shell)"},
    {"SecretFileMissing",
     "notify:\n  - name: hook\n    type: webhook\n    url: http://127.0.0.1:9/\n"
     "    secret_file: /nonexistent/secret\n",
     5, 18, "'secret_file' of receiver 'hook': cannot read /nonexistent/secret"},
    {"MatchUnknownTarget",
     "notify:\n  - name: hook\n    type: command\n    command: [notify-send]\n"
     "    match: {target: prd}\ntargets:\n  - name: prod\n    pack: tikv\n",
     5, 21, "unknown target 'prd' in 'match' of receiver 'hook'; did you mean 'prod'?"},
    {"MatchUnknownCheck",
     "notify:\n  - name: hook\n    type: command\n    command: [notify-send]\n"
     "    match: {check: [store_up, latncy]}\ntargets:\n  - name: prod\n    pack: tikv\n",
     5, 31, "unknown check 'latncy' in 'match' of receiver 'hook'; did you mean 'latency'?"},
    {"MatchBadSeverity",
     "notify:\n  - name: hook\n    type: command\n    command: [notify-send]\n"
     "    match: {severity: [critical, urgent]}\n",
     5, 34,
     "bad severity 'urgent' for 'severity' in 'match' of receiver 'hook': use info, warning or "
     "critical"},
    {"RetryMaxBackoffBelowInitial",
     "notify:\n  - name: hook\n    type: command\n    command: [a]\n"
     "    retry: {initial_backoff: 10s, max_backoff: 1s}\n",
     5, 48, "'max_backoff' in 'retry' of receiver 'hook' must be at least 'initial_backoff'"},
    {"HookWithRetries", "diagnose:\n  - name: triage\n    command: [a]\n    retry: {}\n", 4, 5,
     "unknown key 'retry' in diagnosis hook 'triage'; known keys: name, match, timeout, command, "
     "max_output_kb"},
    {"HookOutputCapTooLarge",
     "diagnose:\n  - name: triage\n    command: [a]\n    max_output_kb: 4096\n", 4, 20,
     "'max_output_kb' of diagnosis hook 'triage' must be between 1 and 1024, got 4096"},
    {"HookWithoutCommand", "diagnose:\n  - name: triage\n", 2, 5,
     "diagnosis hook 'triage' needs 'command'"},
    {"HookMatchUnknownCheck",
     "diagnose:\n  - name: triage\n    command: [a]\n"
     "    match: {check: latncy}\ntargets:\n  - name: prod\n    pack: tikv\n",
     4, 20,
     "unknown check 'latncy' in 'match' of diagnosis hook 'triage'; did you mean 'latency'?"},
    {"LabelOperatorSets", "defaults:\n  labels: {severity: high}\n", 2, 12,
     "'severity' in 'labels' in 'defaults' is set by operator itself; its own labels are "
     "alertname, target, subject, severity, pack, ticket_id"},
    {"BadLabelName",
     "targets:\n  - name: prod\n    pack: tikv\n    checks:\n      latency: {labels: {1team: x}}\n",
     5, 26,
     "bad name '1team' in 'labels' in check 'latency' of target 'prod': use letters, digits and "
     "'_', not starting with a digit"},
};

INSTANTIATE_TEST_SUITE_P(Notify, BadConfigTest, ::testing::ValuesIn(kBadNotifyConfigs),
                         [](const auto& info) { return info.param.name; });

// `http`: the monitor's own listener.
const BadConfig kBadHttpConfigs[] = {
    {"HttpNotAMapping", "http: 127.0.0.1:9464\ntargets: []\n", 1, 7,
     "'http' must be a mapping of keys, got a value"},
    {"HttpUnknownKey", "http: {listen: '127.0.0.1:9464', tls: true}\ntargets: []\n", 1, 34,
     "unknown key 'tls' in 'http'; known keys: listen, record_dir"},
    {"HttpRecordDirEmpty", "http: {record_dir: ''}\ntargets: []\n", 1, 20,
     "'record_dir' in 'http' must not be empty"},
    {"HttpListenWithoutPort", "http:\n  listen: 127.0.0.1\ntargets: []\n", 2, 11,
     "bad 'listen' in 'http', '127.0.0.1': the port is missing: write HOST:PORT, e.g. "
     "127.0.0.1:9464"},
    {"HttpListenPortOutOfRange", "http:\n  listen: ':70000'\ntargets: []\n", 2, 11,
     "bad 'listen' in 'http', ':70000': port 70000 is out of range (1 to 65535); write "
     "HOST:PORT, e.g. 127.0.0.1:9464"},
    {"HttpListenNotAPort", "http:\n  listen: 'localhost:metrics'\ntargets: []\n", 2, 11,
     "bad 'listen' in 'http', 'localhost:metrics': 'metrics' is not a port (1 to 65535); write "
     "HOST:PORT, e.g. 127.0.0.1:9464"},
    {"HttpListenBareIpv6", "http:\n  listen: '::1:9464'\ntargets: []\n", 2, 11,
     "bad 'listen' in 'http', '::1:9464': an IPv6 address must be in brackets, e.g. "
     "[::1]:9464"},
};

INSTANTIATE_TEST_SUITE_P(Http, BadConfigTest, ::testing::ValuesIn(kBadHttpConfigs),
                         [](const auto& info) { return info.param.name; });

// `cluster`: several hosts on one PostgreSQL database.
const BadConfig kBadClusterConfigs[] = {
    {"ClusterNotAMapping", "cluster: 30s\ntargets: []\n", 1, 10,
     "'cluster' must be a mapping of keys, got a value"},
    {"ClusterUnknownKey", "cluster: {lease: 30s, hosts: 3}\ntargets: []\n", 1, 23,
     "unknown key 'hosts' in 'cluster'; known keys: lease"},
    {"ClusterLeaseTooShort", "cluster:\n  lease: 500ms\ntargets: []\n", 2, 10,
     "'lease' in 'cluster' must be at least 1s: each host renews its leases every third of it"},
};

INSTANTIATE_TEST_SUITE_P(Cluster, BadConfigTest, ::testing::ValuesIn(kBadClusterConfigs),
                         [](const auto& info) { return info.param.name; });

TEST(BadConfig, UnknownPackSaysWhichPackFilesFailedToLoad) {
  const auto raw = read_config(test::write_text("targets:\n  - name: prod\n    pack: tikv\n"));
  try {
    resolve_config(*raw, PackCatalog{{"files", &test::files_pack()}},
                   {"/packs/libtikv.so: undefined symbol op_pack_entry; rebuild it"});
    FAIL() << "accepted a target whose pack did not load";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.message(),
              "unknown pack 'tikv' in target 'prod' (loaded packs: files); 1 pack file failed to "
              "load: /packs/libtikv.so: undefined symbol op_pack_entry; rebuild it");
    EXPECT_EQ(e.mark().line, 3);
  }
}

// plugin.h: a required string list holds at least one item, so `[]` is
// refused where it is written, naming the pack; a disabled check's is not
// read, as a missing one is not.
class EmptyRequiredList : public ::testing::Test {
 protected:
  EmptyRequiredList() {
    pack_ = test::files_pack();
    pack_.name = "ports";
    pack_.params.push_back(opr::test::declared_param("hosts", OP_PARAM_STRING_LIST, nullptr, true,
                                                     "the hosts to connect to"));
    pack_.checks[0].params.push_back(opr::test::declared_param(
        "ports", OP_PARAM_STRING_LIST, nullptr, true, "ports that must accept connections"));
  }

  // The ConfigError of `yaml`, or a test failure when it is accepted.
  std::optional<ConfigError> error_of(const std::string& yaml) {
    const auto raw = read_config(test::write_text(yaml));
    try {
      resolve_config(*raw, PackCatalog{{"ports", &pack_}}, {});
    } catch (const ConfigError& e) {
      return e;
    }
    return std::nullopt;
  }

  PackDeclaration pack_;
};

TEST_F(EmptyRequiredList, OfACheckIsRefusedAtItsLineAndColumn) {
  const auto error = error_of(
      "targets:\n  - name: web\n    pack: ports\n    root: /r\n    hosts: [a]\n    checks:\n"
      "      fresh: {path: p, ports: []}\n");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(),
            "required parameter 'ports' (string-list) in check 'fresh' of target 'web' is empty: "
            "pack 'ports' needs at least one item (ports that must accept connections)");
  EXPECT_EQ(error->mark().line, 7);
  EXPECT_EQ(error->mark().column, 31);
}

TEST_F(EmptyRequiredList, OfATargetIsRefusedAtItsLineAndColumn) {
  const auto error = error_of(
      "targets:\n  - name: web\n    pack: ports\n    root: /r\n    hosts: []\n    checks:\n"
      "      fresh: {path: p, ports: ['80']}\n");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(),
            "required parameter 'hosts' (string-list) in target 'web' is empty: pack 'ports' "
            "needs at least one item (the hosts to connect to)");
  EXPECT_EQ(error->mark().line, 5);
  EXPECT_EQ(error->mark().column, 12);
}

TEST_F(EmptyRequiredList, OfADisabledCheckIsAccepted) {
  EXPECT_FALSE(error_of("targets:\n  - name: web\n    pack: ports\n    root: /r\n    hosts: [a]\n"
                        "    checks:\n      fresh: {enabled: false, ports: []}\n")
                   .has_value());
}

TEST(BadConfig, MissingFileIsAConfigError) {
  try {
    read_config("/nonexistent/operator.yaml");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "/nonexistent/operator.yaml:1:1: cannot read the config file (no such file)");
  }
}

TEST(Config, SecretParameterNames) {
  EXPECT_TRUE(is_secret_param("api_token"));
  EXPECT_TRUE(is_secret_param("DB_PASSWORD"));
  EXPECT_TRUE(is_secret_param("client_secret"));
  EXPECT_FALSE(is_secret_param("threshold_ms"));
}

}  // namespace
}  // namespace opr::config
