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

// Sets the default logger: `format` "text" (time, level, message, the
// message shown through escape_for_terminal on one line) or "json" (one
// object per line: time, level, message, through json_output). `level_override` (--log-level)
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
