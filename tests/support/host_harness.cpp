#include "host_harness.h"

#include <gtest/gtest.h>

#include "tickets/ticket_store.h"

namespace opr::test {

std::vector<std::filesystem::path> HostHarness::default_packs() {
  return {example_pack(), fixture_pack("control")};
}

HostHarness::HostHarness(const std::vector<std::filesystem::path>& packs) {
  std::filesystem::create_directory(dir_ / "packs");
  for (const auto& pack : packs) copy_pack(pack, dir_ / "packs");
}

void HostHarness::write_config(const std::string& body) const {
  const auto temp = dir_ / "operator.yaml.new";
  write_file(temp, "database: " + db_path().string() + "\nplugin_dirs: [" +
                       (dir_ / "packs").string() + "]\n" + body);
  std::filesystem::rename(temp, config_path());
}

std::unique_ptr<Process> HostHarness::start(const std::vector<std::string>& extra,
                                            const ProcessOptions& options) const {
  std::vector<std::string> argv = {operator_host().string(), "--config", config_path().string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return std::make_unique<Process>(argv, options);
}

CommandResult HostHarness::run_once(const ProcessOptions& options,
                                    std::chrono::milliseconds timeout) const {
  return run_operator_host({"--config", config_path().string(), "--once"}, options, timeout);
}

CommandResult HostHarness::run(const std::vector<std::string>& args,
                               const ProcessOptions& options) const {
  std::vector<std::string> all = {"--config", config_path().string()};
  all.insert(all.end(), args.begin(), args.end());
  return run_operator_host(all, options);
}

CommandResult HostHarness::integrity_check() const {
  return run_command({"/usr/bin/sqlite3", db_path().string(), "PRAGMA integrity_check;"});
}

std::vector<tickets::Ticket> HostHarness::tickets() const {
  if (!std::filesystem::exists(db_path())) return {};
  auto store = tickets::TicketStore::open(db_path().string());
  tickets::ListFilter filter;
  filter.include_resolved = true;
  return store->list(filter);
}

std::vector<tickets::Ticket> HostHarness::tickets_with_key(const std::string& key) const {
  std::vector<tickets::Ticket> found;
  for (auto& ticket : tickets()) {
    if (ticket.violation_key == key) found.push_back(std::move(ticket));
  }
  return found;
}

std::optional<tickets::Ticket> HostHarness::open_ticket(const std::string& key) const {
  for (auto& ticket : tickets_with_key(key)) {
    if (ticket.status != tickets::Status::resolved) return ticket;
  }
  return std::nullopt;
}

std::vector<Json> HostHarness::cli_tickets() const {
  const CommandResult result =
      run_operator_host({"--db", db_path().string(), "tickets", "list", "--all", "--json"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const Json list = Json::parse(result.out, nullptr, false);
  if (list.is_discarded() || !list.is_array()) {
    ADD_FAILURE() << "tickets list --json printed: " << result.out.substr(0, 300);
    return {};
  }
  return {list.begin(), list.end()};
}

std::optional<Json> HostHarness::cli_ticket(const std::string& check,
                                            const std::string& subject) const {
  for (const Json& t : cli_tickets()) {  // newest first
    if (t["check"] == check && t["subject"] == subject) return t;
  }
  return std::nullopt;
}

std::string control_target(const HostHarness& harness, const std::string& name,
                           const std::string& check_extra, const std::string& target_extra) {
  return "  - name: " + name + "\n    pack: control\n" + target_extra +
         "    checks:\n      probe: {command_file: " + harness.file(name + ".cmd").string() +
         ", log_file: " + harness.file(name + ".log").string() + check_extra + "}\n";
}

}  // namespace opr::test
