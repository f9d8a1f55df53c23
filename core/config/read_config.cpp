// Step 1: the file and its top-level settings, before any pack is known.
#include <limits>
#include <regex>
#include <set>

#include "config/config.h"
#include "config/database_setting.h"
#include "config/listen_address.h"
#include "config/notify_reading.h"
#include "config/raw_config.h"
#include "config/value_reading.h"

namespace opr::config {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kMaxInt = std::numeric_limits<int>::max();

const std::vector<std::string>& top_level_keys() {
  static const std::vector<std::string> keys = {
      "database",         "plugin_dirs", "log",    "http",     "defaults", "workers",
      "shutdown_timeout", "flapping",    "notify", "diagnose", "targets",  "cluster",
  };
  return keys;
}

fs::path against(const fs::path& base, const std::string& path) {
  const fs::path p(path);
  return p.is_absolute() ? p : (base / p).lexically_normal();
}

void read_log(const YamlNode& node, LogConfig& log) {
  require_map(node, "'log'");
  check_keys(node, {"level", "format"}, "in 'log'");
  if (const auto* level = node.find("level")) {
    log.level = read_choice(*level, "'level' in 'log'", {"debug", "info", "warning", "error"});
  }
  if (const auto* format = node.find("format")) {
    log.format = read_choice(*format, "'format' in 'log'", {"text", "json"});
  }
}

void read_http(const YamlNode& node, const fs::path& base, HttpConfig& http) {
  require_map(node, "'http'");
  check_keys(node, {"listen", "record_dir"}, "in 'http'");
  if (const auto* dir = node.find("record_dir"); dir != nullptr && !dir->is_null()) {
    const std::string& text = read_string(*dir, "'record_dir' in 'http'");
    if (text.empty()) fail(dir->mark, "'record_dir' in 'http' must not be empty");
    http.record_dir = against(base, text);
  }
  if (const auto* listen = node.find("listen")) {
    if (listen->is_null()) return;  // `listen:` with nothing: off
    const std::string& text = read_string(*listen, "'listen' in 'http'");
    auto parsed = parse_listen_address(text);
    if (auto* error = std::get_if<std::string>(&parsed)) {
      fail(listen->mark, "bad 'listen' in 'http', '" + text + "': " + *error);
    }
    http.listen = std::get<ListenAddress>(parsed);
  }
}

// The shortest lease: renewals every lease/3 must not swamp the database.
constexpr std::chrono::milliseconds kMinLease{1'000};

void read_cluster(const YamlNode& node, ClusterConfig& cluster) {
  require_map(node, "'cluster'");
  check_keys(node, {"lease"}, "in 'cluster'");
  if (const auto* v = node.find("lease")) {
    cluster.lease = read_duration(*v, "'lease' in 'cluster'", false);
    cluster.mark = v->mark;
    if (cluster.lease < kMinLease) {
      fail(v->mark,
           "'lease' in 'cluster' must be at least 1s: each host renews its leases every "
           "third of it");
    }
  }
}

void read_defaults(const YamlNode& node, Defaults& defaults) {
  require_map(node, "'defaults'");
  std::vector<std::string> keys = {"interval", "timeout", "failure_threshold", "failed_severity"};
  keys.insert(keys.end(), isolation_keys().begin(), isolation_keys().end());
  keys.insert(keys.end(), label_keys().begin(), label_keys().end());
  check_keys(node, keys, "in 'defaults'");
  read_isolation(node, "'defaults'", defaults.isolation, defaults.runner_limits);
  read_label_sections(node, "'defaults'", defaults.labels, defaults.annotations);
  if (const auto* v = node.find("failed_severity")) {
    defaults.failed_severity = read_severity(*v, "'failed_severity' in 'defaults'");
  }
  if (const auto* v = node.find("interval")) {
    defaults.interval = read_duration(*v, "'interval' in 'defaults'", false);
  }
  if (const auto* v = node.find("timeout")) {
    defaults.timeout = read_duration(*v, "'timeout' in 'defaults'", false);
  }
  if (const auto* v = node.find("failure_threshold")) {
    defaults.failure_threshold =
        static_cast<int>(read_int(*v, "'failure_threshold' in 'defaults'", 1, kMaxInt));
  }
}

void read_flapping(const YamlNode& node, Config& config) {
  require_map(node, "'flapping'");
  check_keys(node, {"threshold", "window"}, "in 'flapping'");
  if (const auto* v = node.find("threshold")) {
    config.flapping_threshold =
        static_cast<int>(read_int(*v, "'threshold' in 'flapping'", 1, kMaxInt));
  }
  if (const auto* v = node.find("window")) {
    config.flapping_window = read_duration(*v, "'window' in 'flapping'", false);
  }
}

void read_plugin_dirs(const YamlNode& node, const fs::path& base, Config& config) {
  if (node.is_null()) return;
  if (!node.is_sequence()) {
    fail(node.mark,
         "'plugin_dirs' must be a list of folders such as [/usr/lib/operator/packs], got " +
             std::string(kind_name(node)));
  }
  for (const auto& item : node.items) {
    const std::string& dir = read_string(item, "each item of 'plugin_dirs'");
    if (dir.empty()) fail(item.mark, "an item of 'plugin_dirs' is empty");
    config.plugin_dirs.push_back(against(base, dir));
  }
}

bool is_valid_target_name(const std::string& name) {
  static const std::regex pattern("[A-Za-z0-9_.-]+");
  return std::regex_match(name, pattern);
}

// Names and packs need no pack to be checked, so a config with a broken
// target list fails here, before any pack is loaded.
void check_targets(const YamlNode& targets) {
  if (targets.is_null()) return;
  if (!targets.is_sequence()) {
    fail(targets.mark, "'targets' must be a list of targets (each '- name: ...'), got " +
                           std::string(kind_name(targets)));
  }
  std::map<std::string, Mark, std::less<>> seen;
  for (const auto& target : targets.items) {
    if (!target.is_map()) {
      fail(target.mark, "a target must be a mapping with 'name' and 'pack', got " +
                            std::string(kind_name(target)));
    }
    const YamlNode* name = target.find("name");
    if (name == nullptr) fail(target.mark, "a target needs a 'name'");
    const std::string& text = read_string(*name, "'name' of a target");
    if (!is_valid_target_name(text)) {
      fail(name->mark, "bad target name '" + text +
                           "': use letters, digits, '_', '.' and '-' only (it becomes part of "
                           "violation keys target/check/subject)");
    }
    if (const auto it = seen.find(text); it != seen.end()) {
      fail(name->mark, "duplicate target name '" + text + "' (first at line " +
                           std::to_string(it->second.line) + ")");
    }
    seen.emplace(text, name->mark);
    const YamlNode* pack = target.find("pack");
    if (pack == nullptr) fail(target.mark, "target '" + text + "' needs a 'pack'");
    if (read_string(*pack, "'pack' of target '" + text + "'").empty()) {
      fail(pack->mark, "'pack' of target '" + text + "' is empty");
    }
  }
}

// What the file says, once parsed.
std::shared_ptr<const RawConfig> read_root(const YamlNode& root, const fs::path& file) {
  if (root.is_null()) {
    fail(root.mark,
         "the config file is empty; it needs at least 'targets' (see config/operator.yaml)");
  }
  if (!root.is_map()) {
    fail(root.mark,
         "the config must be a mapping of keys (database, plugin_dirs, targets, ...), got " +
             std::string(kind_name(root)));
  }
  check_keys(root, top_level_keys(), "at the top level");

  auto raw = std::make_shared<RawConfig>();
  Config& config = raw->settings;
  config.path = file;
  const fs::path base = fs::absolute(file).parent_path();
  if (const auto* v = root.find("database")) config.database = read_database(*v, base);
  if (const auto* v = root.find("plugin_dirs")) read_plugin_dirs(*v, base, config);
  if (const auto* v = root.find("log")) read_log(*v, config.log);
  if (const auto* v = root.find("http")) read_http(*v, base, config.http);
  if (const auto* v = root.find("cluster")) read_cluster(*v, config.cluster);
  if (const auto* v = root.find("defaults")) read_defaults(*v, config.defaults);
  if (const auto* v = root.find("workers")) {
    config.workers = static_cast<int>(read_int(*v, "'workers'", 0, 1024));
  }
  if (const auto* v = root.find("shutdown_timeout")) {
    config.shutdown_timeout = read_duration(*v, "'shutdown_timeout'", true);
  }
  if (const auto* v = root.find("flapping")) read_flapping(*v, config);
  if (const auto* v = root.find("notify")) config.receivers = read_receivers(*v, base);
  if (const auto* v = root.find("diagnose")) {
    for (auto& hook : read_hooks(*v, base)) config.receivers.push_back(std::move(hook));
  }
  if (const auto* v = root.find("targets")) {
    check_targets(*v);
    raw->targets = *v;
  }
  return raw;
}

}  // namespace

std::shared_ptr<const RawConfig> read_config(const fs::path& file) {
  return read_root(parse_yaml_file(file), file);
}

std::shared_ptr<const RawConfig> read_config_text(const std::string& text, const fs::path& file) {
  return read_root(parse_yaml_text(text, file.string()), file);
}

const std::vector<fs::path>& plugin_dirs(const RawConfig& raw) { return raw.settings.plugin_dirs; }

const std::optional<std::string>& database(const RawConfig& raw) { return raw.settings.database; }

const Defaults& defaults(const RawConfig& raw) { return raw.settings.defaults; }

}  // namespace opr::config
