#include "engine/logging.h"

#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <streambuf>
#include <string_view>

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

// How a level is named in the log and which syslog priority the journal
// files it under (sd-daemon(3): "<2>" critical ... "<7>" debug): one table
// for both.
struct LevelWords {
  std::string_view name;
  std::string_view journal_priority;
};

LevelWords level_words(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return {"debug", "<7>"};
    case spdlog::level::info:
      return {"info", "<6>"};
    case spdlog::level::warn:
      return {"warning", "<4>"};
    case spdlog::level::err:
      return {"error", "<3>"};
    case spdlog::level::critical:
      return {"critical", "<2>"};
    default:
      return {"off", ""};
  }
}

std::string level_name(spdlog::level::level_enum level) {
  return std::string(level_words(level).name);
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

// Another format's line with its priority in front, for the journal, which
// takes the prefix off and files the line under it (journalctl -p err).
class JournalPriority : public spdlog::formatter {
 public:
  explicit JournalPriority(std::unique_ptr<spdlog::formatter> line) : line_(std::move(line)) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view priority = level_words(msg.level).journal_priority;
    dest.append(priority.data(), priority.data() + priority.size());
    line_->format(msg, dest);
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JournalPriority>(line_->clone());
  }

 private:
  std::unique_ptr<spdlog::formatter> line_;
};

std::unique_ptr<spdlog::formatter> make_line_formatter(const std::string& format) {
  if (format == "json") return std::make_unique<JsonFormatter>();
  if (format == "text") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<EscapedMessage>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %*");
    return formatter;
  }
  throw std::invalid_argument("unknown log format '" + format + "' (expected text or json)");
}

std::unique_ptr<spdlog::formatter> make_formatter(const std::string& format) {
  auto line = make_line_formatter(format);
  if (stderr_is_journal()) return std::make_unique<JournalPriority>(std::move(line));
  return line;
}

// What the commands write to std::cerr (errors, "warning: " lines), each
// line given the priority its words say before it reaches `out`: "<4>" for
// a line that starts with "warning: ", "<3>" for any other. Whole lines go
// out, so a message written in pieces gets one prefix.
class JournalErrorLines : public std::streambuf {
 public:
  explicit JournalErrorLines(std::streambuf* out) : out_(out) {}

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    line_ += traits_type::to_char_type(c);
    if (line_.back() == '\n' && !write_line()) return traits_type::eof();
    return c;
  }
  std::streamsize xsputn(const char* text, std::streamsize size) override {
    for (std::streamsize i = 0; i < size; ++i) {
      if (traits_type::eq_int_type(overflow(traits_type::to_int_type(text[i])),
                                   traits_type::eof())) {
        return i;
      }
    }
    return size;
  }

 private:
  bool write_line() {
    const std::string_view priority =
        level_words(line_.starts_with("warning: ") ? spdlog::level::warn : spdlog::level::err)
            .journal_priority;
    const bool written =
        out_->sputn(priority.data(), std::streamsize(priority.size())) ==
            std::streamsize(priority.size()) &&
        out_->sputn(line_.data(), std::streamsize(line_.size())) == std::streamsize(line_.size());
    line_.clear();
    return written && out_->pubsync() == 0;
  }

  std::streambuf* out_;
  std::string line_;  // the line being written, up to its '\n'
};

}  // namespace

void check_log_level(const std::string& level) { parse_level(level); }

bool stderr_is_journal() {
  // systemd sets JOURNAL_STREAM to "DEVICE:INODE" (decimal) of the stream it
  // connected stdout or stderr to; a child that inherits the variable but
  // writes elsewhere (a pipe, a file) must not take it for the journal.
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  const std::string_view text(stream);
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  const auto read = [](std::string_view digits, unsigned long long& value) {
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return !digits.empty() && error == std::errc() && end == digits.data() + digits.size();
  };
  if (!read(text.substr(0, colon), device) || !read(text.substr(colon + 1), inode)) return false;
  struct stat info {};
  if (::fstat(STDERR_FILENO, &info) != 0) return false;
  return static_cast<unsigned long long>(info.st_dev) == device &&
         static_cast<unsigned long long>(info.st_ino) == inode;
}

void mark_error_lines_for_journal() {
  if (!stderr_is_journal()) return;
  // Lives as long as std::cerr may be written to, static destructors
  // included.
  static JournalErrorLines* const lines = new JournalErrorLines(std::cerr.rdbuf());
  std::cerr.rdbuf(lines);
}

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
