// opr_test_host: operator-host of this build as a user runs it, with a
// config, a pack folder and a ticket database in a temp folder of the
// harness's own, and the tickets it wrote read back two ways:
// - through the ticket store (tickets(), open_ticket(key)): typed fields,
//   keyed by violation key "target/check/subject"; for tests of what the
//   engine decided (grace, counts, unknown marks, failures in a row);
// - through the command line (cli_tickets(), cli_ticket(check, subject)):
//   the JSON a user reads from `tickets list --all --json`; for end-to-end
//   tests of what a pack reported.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "test_support.h"
#include "tickets/ticket.h"

namespace opr::test {

using Json = nlohmann::json;

class HostHarness {
 public:
  // The example pack and the control test pack: what the engine tests
  // drive. Not the whole test-packs folder, whose deliberately broken
  // packs would only add load errors.
  static std::vector<std::filesystem::path> default_packs();

  // A fresh folder whose packs/ holds copies of `packs`.
  explicit HostHarness(const std::vector<std::filesystem::path>& packs = default_packs());

  // Writes the config: `body` (targets and anything else) after the lines
  // that set the database and the pack folder. Written to a side file and
  // renamed, so a reload never reads half a file.
  void write_config(const std::string& body) const;
  std::filesystem::path config_path() const { return dir_ / "operator.yaml"; }
  std::filesystem::path db_path() const { return dir_ / "tickets.db"; }
  // A file in the harness's folder (command files, logs of the control pack).
  std::filesystem::path file(const std::string& name) const { return dir_ / name; }
  const TempDir& dir() const { return dir_; }

  // `operator-host --config FILE [extra...]`, the monitor, as a running
  // process (killed when the Process goes away).
  std::unique_ptr<Process> start(const std::vector<std::string>& extra = {},
                                 const ProcessOptions& options = {}) const;
  // `operator-host --config FILE --once`, run to completion (exit 0 OK,
  // 1 warning, 2 critical, 3 failed or unknown).
  CommandResult run_once(const ProcessOptions& options = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
  // `operator-host --config FILE ARGS...`, e.g. {"tickets", "show", "7"}.
  CommandResult run(const std::vector<std::string>& args, const ProcessOptions& options = {}) const;
  // `sqlite3 DB "PRAGMA integrity_check;"`: out is "ok\n" when the file is sound.
  CommandResult integrity_check() const;

  // --- tickets through the ticket store ------------------------------------

  // Every ticket, resolved ones too, newest first (none before the
  // database exists).
  std::vector<tickets::Ticket> tickets() const;
  std::vector<tickets::Ticket> tickets_with_key(const std::string& key) const;
  // The non-resolved ticket of `key`, or nullopt.
  std::optional<tickets::Ticket> open_ticket(const std::string& key) const;

  // --- tickets through `operator-host tickets list --all --json` ----------

  // Every ticket, resolved ones too, newest first; a test failure when the
  // command fails or prints no JSON list.
  std::vector<Json> cli_tickets() const;
  // The newest ticket of `check` for `subject`, or nullopt.
  std::optional<Json> cli_ticket(const std::string& check, const std::string& subject = "") const;

 private:
  TempDir dir_;
};

// Config lines for target `name` of the control test pack: its probe does
// what harness.file(NAME + ".cmd") says (missing: ok) and logs its runs to
// harness.file(NAME + ".log"). `check_extra` ends the probe's flow mapping
// (", interval: 1h"); `target_extra` lines (4 spaces in) go before `checks:`.
std::string control_target(const HostHarness& harness, const std::string& name,
                           const std::string& check_extra = ", interval: 100ms",
                           const std::string& target_extra = "");

}  // namespace opr::test
