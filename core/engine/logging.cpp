#include "engine/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <stdexcept>

#include "common/json_output.h"
#include "common/terminal_text.h"
#include "common/time_format.h"
#include "config/config.h"

namespace opr::engine {

namespace {

spdlog::level::level_enum parse_level(const std::string& text) {
  if (text == "debug") return spdlog::level::debug;
  if (text == "info") return spdlog::level::info;
  if (text == "warning" || text == "warn") return spdlog::level::warn;
  if (text == "error") return spdlog::level::err;
  throw std::invalid_argument("unknown log level '" + text +
                              "' (expected debug, info, warning or error)");
}

std::string level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warning";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

// One JSON object per line, so log shippers need no parsing rules; the
// message as it was written (json_output: valid JSON whatever its bytes).
class JsonFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    nlohmann::json line;
    line["time"] = format_utc(std::chrono::time_point_cast<std::chrono::milliseconds>(msg.time));
    line["level"] = level_name(msg.level);
    line["message"] = std::string(msg.payload.data(), msg.payload.size());
    const std::string text = json_output(line) + "\n";
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

// The text log's message (the %* flag): whatever logged it, the pack log
// service included, shown through escape_for_terminal on one line, so a
// message can neither drive the terminal nor forge a log line. Clean text,
// nearly all of it, is copied after one scan and no allocation.
class EscapedMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    const size_t clean = terminal_safe_prefix(text);
    dest.append(text.data(), text.data() + clean);
    if (clean == text.size()) return;
    escaped_.clear();  // the sink's lock is held: one message at a time
    append_for_terminal(escaped_, text.substr(clean));
    dest.append(escaped_.data(), escaped_.data() + escaped_.size());
  }
  std::unique_ptr<spdlog::custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedMessage>();
  }

 private:
  std::string escaped_;  // reused
};

std::unique_ptr<spdlog::formatter> make_formatter(const std::string& format) {
  if (format == "json") return std::make_unique<JsonFormatter>();
  if (format == "text") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<EscapedMessage>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %*");
    return formatter;
  }
  throw std::invalid_argument("unknown log format '" + format + "' (expected text or json)");
}

}  // namespace

void check_log_level(const std::string& level) { parse_level(level); }

std::string current_log_level() {
  const std::string name = level_name(spdlog::default_logger()->level());
  return name == "critical" || name == "off" ? "error" : name;
}

void setup_logging(const config::LogConfig& log, const std::optional<std::string>& level_override) {
  const auto level = parse_level(level_override.value_or(log.level));
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_formatter(make_formatter(log.format));
  auto logger = std::make_shared<spdlog::logger>("operator", std::move(sink));
  logger->set_level(level);
  logger->flush_on(spdlog::level::trace);  // every line reaches journald at once
  spdlog::set_default_logger(std::move(logger));
}

void reconfigure_logging(const config::LogConfig& log,
                         const std::optional<std::string>& level_override) {
  const auto level = parse_level(level_override.value_or(log.level));
  auto formatter = make_formatter(log.format);
  // In place: other threads may be logging through this logger right now,
  // and replacing the default logger under them is not safe in spdlog.
  const auto logger = spdlog::default_logger();
  for (const auto& sink : logger->sinks()) sink->set_formatter(formatter->clone());
  logger->set_level(level);
}

}  // namespace opr::engine
