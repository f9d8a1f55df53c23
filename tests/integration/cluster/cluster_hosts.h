// What the cluster tests read from several operator-host processes on one
// PostgreSQL database: who owns which target (`cluster status --json`),
// which runs each host logged ("T/C ran on host H from A to B"), and the
// warnings and errors of a host's log for a failure's message.
#pragma once

#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "postgres_server.h"
#include "test_support.h"

namespace opr::test {

// The test's own database on the tests' PostgreSQL server, which the hosts
// share; `server` is null when there is none (then `skip_reason` says why).
struct ClusterDatabase {
  PostgresServer* server = nullptr;
  std::string name;
  std::string uri;
  std::string skip_reason;

  ClusterDatabase() {
    const PostgresTestDatabase postgres = postgres_test_database();
    server = postgres.server;
    name = postgres.name;
    uri = postgres.socket_uri;
    skip_reason = postgres.skip_reason;
  }
  // psql's answer to `query`, without its line break.
  std::string sql(const std::string& query) const {
    std::string out = server->psql(name, query);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }
};

inline long long wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The start of the config the hosts share: the database, the pack folder,
// debug logging (for the run lines), a 3 s lease, runs in the host.
inline std::string cluster_config_head(const std::string& uri, const std::filesystem::path& packs) {
  return "database: " + uri + "\nplugin_dirs: [" + packs.string() +
         "]\nlog: {level: debug}\ncluster: {lease: 3s}\n"
         "defaults: {timeout: 1s, isolation: in_process}\ntargets:\n";
}

// A target `name` of the example pack whose file_fresh check watches
// `stamp` every 4 s (its http_ok check off).
inline std::string file_fresh_target(const std::string& name, const std::filesystem::path& stamp) {
  return "  - name: " + name + "\n    pack: example\n    checks:\n" +
         "      http_ok: {enabled: false, url: \"http://127.0.0.1:1/\"}\n" +
         "      file_fresh: {interval: 4s, path: " + stamp.string() + "}\n";
}

// t00, t01, ...: the example pack's targets of the cluster tests.
inline std::string target_name(int i) {
  return std::string("t") + (i < 10 ? "0" : "") + std::to_string(i);
}

// How a host names itself in the lease table and its run log.
inline std::string host_of(const Process& process) {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return std::string(name) + ":" + std::to_string(process.pid());
}

// One run as its host logged it: from before it started to after it ended.
struct LoggedRun {
  std::string target;
  std::string host;
  long long from = 0;
  long long to = 0;
};

inline std::vector<LoggedRun> runs_in(const std::string& log) {
  static const std::regex line(
      R"(([A-Za-z0-9_.-]+)/[a-z_]+ ran on host (\S+) from (\d+) to (\d+))");
  std::vector<LoggedRun> runs;
  for (std::sregex_iterator it(log.begin(), log.end(), line), end; it != end; ++it) {
    runs.push_back({(*it)[1], (*it)[2], std::stoll((*it)[3]), std::stoll((*it)[4])});
  }
  return runs;
}

// "T ran on A from F to T and on B from F to T" for each pair of `runs` of one target on two
// hosts whose spans overlap; empty when none did.
inline std::vector<std::string> runs_at_once(const std::vector<LoggedRun>& runs) {
  std::map<std::string, std::vector<const LoggedRun*>> by_target;
  for (const LoggedRun& run : runs) by_target[run.target].push_back(&run);
  std::vector<std::string> found;
  for (const auto& [target, of_target] : by_target) {
    for (const LoggedRun* a : of_target) {
      for (const LoggedRun* b : of_target) {
        if (a->host == b->host || a->from > b->from || b->from >= a->to) continue;
        found.push_back(target + " ran on " + a->host + " from " + std::to_string(a->from) +
                        " to " + std::to_string(a->to) + " and on " + b->host + " from " +
                        std::to_string(b->from) + " to " + std::to_string(b->to));
      }
    }
  }
  return found;
}

// The warnings and errors of a host's log, for a failure's message.
inline std::string problems(const Process& host) {
  std::istringstream log(host.err());
  std::string line;
  std::string found;
  while (std::getline(log, line)) {
    if (line.find(" error ") != std::string::npos || line.find(" warning ") != std::string::npos) {
      found += line + "\n";
    }
  }
  return found;
}

// target -> owning live host, from `cluster status --json` on `uri`.
inline std::map<std::string, std::string> owners(const std::string& uri) {
  const CommandResult status = run_operator_host({"--db", uri, "cluster", "status", "--json"});
  std::map<std::string, std::string> owned;
  if (status.exit_code != 0) return owned;
  const auto json = nlohmann::json::parse(status.out);
  std::set<std::string> live;
  for (const auto& host : json["hosts"]) {
    if (host["live"].get<bool>()) live.insert(host["host"].get<std::string>());
  }
  for (const auto& target : json["targets"]) {
    if (target["state"] != "owned") continue;
    const std::string host = target["host"].get<std::string>();
    if (live.count(host)) owned[target["target"].get<std::string>()] = host;
  }
  return owned;
}

// True when `owned` gives all `targets` to `hosts`, each host at most its
// fair share (ceil(targets / hosts)) and so at least what the others leave.
inline bool spread_over(const std::map<std::string, std::string>& owned, int targets,
                        const std::vector<std::string>& hosts) {
  if (owned.size() != static_cast<size_t>(targets)) return false;
  std::map<std::string, int> per_host;
  for (const auto& [target, host] : owned) ++per_host[host];
  const int count = static_cast<int>(hosts.size());
  const int share = (targets + count - 1) / count;
  for (const auto& host : hosts) {
    if (per_host[host] > share || per_host[host] < targets - (count - 1) * share) return false;
  }
  return per_host.size() == hosts.size();
}

}  // namespace opr::test
