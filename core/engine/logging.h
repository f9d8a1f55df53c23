// The host's log: spdlog to stderr, as text lines or JSON lines.
#pragma once

#include <optional>
#include <string>

namespace opr::config {
struct LogConfig;
}

namespace opr::engine {

// Throws std::invalid_argument, saying which levels there are, unless
// `level` is one (debug, info, warning or error): for --log-level, checked
// before any command runs.
void check_log_level(const std::string& level);

// Whether stderr is the systemd journal: $JOURNAL_STREAM ("DEVICE:INODE",
// set by systemd) names the device and inode of stderr itself (fstat), not
// of a stream the process inherited the variable with.
bool stderr_is_journal();

// When stderr is the journal, every line later written to std::cerr (the
// commands' errors; "warning: ..." lines) starts with its syslog priority,
// "<3>" (error) or "<4>" (a line that starts with "warning: "), so that
// `journalctl -p err` shows why the monitor refused to start. Otherwise
// nothing changes. Call it once, before anything is written to std::cerr.
void mark_error_lines_for_journal();

// Sets the default logger: `format` "text" (time, level, message, the
// message shown through escape_for_terminal on one line) or "json" (one
// object per line: time, level, message, through json_output). When stderr
// is the journal (stderr_is_journal), each line starts with its level's
// syslog priority: "<7>" debug, "<6>" info, "<4>" warning, "<3>" error,
// "<2>" critical. `level_override` (--log-level)
// wins over the config's level. Throws std::invalid_argument on an unknown
// level or format.
void setup_logging(const config::LogConfig& log,
                   const std::optional<std::string>& level_override = std::nullopt);

// The level the host logs at now, in the config's words ("debug", "info",
// "warning", "error"): what its pack runners forward.
std::string current_log_level();

// The same settings applied to the logger setup_logging made, while other
// threads may be logging: for a config reload (SIGHUP). Same errors.
void reconfigure_logging(const config::LogConfig& log,
                         const std::optional<std::string>& level_override = std::nullopt);

}  // namespace opr::engine
