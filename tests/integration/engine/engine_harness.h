// Helpers for running operator-host against configs in a temp folder and
// reading back the tickets it wrote.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "test_support.h"
#include "tickets/ticket.h"

namespace opr::test {

class HostHarness {
 public:
  HostHarness();

  // The config file: `body` (targets and anything else) after the lines
  // that set the database and the pack folders of this build.
  void write_config(const std::string& body) const;
  std::filesystem::path config_path() const { return dir_ / "operator.yaml"; }
  std::filesystem::path db_path() const { return dir_ / "tickets.db"; }
  std::filesystem::path file(const std::string& name) const { return dir_ / name; }
  const TempDir& dir() const { return dir_; }

  // operator-host --config FILE [extra...] as a running process.
  std::unique_ptr<Process> start(const std::vector<std::string>& extra = {}) const;
  // operator-host --config FILE --once, run to completion.
  CommandResult run_once() const;

  // Every ticket, resolved ones too, newest first.
  std::vector<tickets::Ticket> tickets() const;
  std::vector<tickets::Ticket> tickets_with_key(const std::string& key) const;
  // The non-resolved ticket of `key`, or nullopt.
  std::optional<tickets::Ticket> open_ticket(const std::string& key) const;

 private:
  TempDir dir_;
};

}  // namespace opr::test
