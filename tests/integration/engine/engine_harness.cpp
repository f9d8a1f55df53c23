#include "engine_harness.h"

#include "tickets/ticket_store.h"

namespace opr::test {

HostHarness::HostHarness() {
  // Only the packs these tests use: the build's test-packs folder also holds
  // deliberately broken packs, whose load errors would only add noise.
  std::filesystem::create_directory(dir_ / "packs");
  for (const auto& pack : {packs_dir() / "example.so", test_packs_dir() / "control.so"}) {
    std::filesystem::copy_file(pack, dir_ / "packs" / pack.filename());
  }
}

void HostHarness::write_config(const std::string& body) const {
  // Written to a side file and renamed, so a reload never reads half a file.
  const auto temp = dir_ / "operator.yaml.new";
  write_file(temp, "database: " + db_path().string() + "\nplugin_dirs: [" +
                       (dir_ / "packs").string() + "]\n" + body);
  std::filesystem::rename(temp, config_path());
}

std::unique_ptr<Process> HostHarness::start(const std::vector<std::string>& extra) const {
  std::vector<std::string> argv = {operator_host().string(), "--config", config_path().string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return std::make_unique<Process>(argv);
}

CommandResult HostHarness::run_once() const {
  return run_command({operator_host().string(), "--config", config_path().string(), "--once"}, {},
                     std::chrono::seconds(30));
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

}  // namespace opr::test
