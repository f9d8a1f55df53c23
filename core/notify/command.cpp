#include "notify/command.h"

#include <utility>

#include "notify/child_process.h"

namespace opr::notify {

namespace {

// What a program wrote is kept up to this size; its last line ends the error.
constexpr size_t kMaxOutput = 64 * 1024;
constexpr size_t kMaxLine = 200;

std::string last_line(const std::string& output) {
  const size_t end = output.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return "";
  const size_t start = output.find_last_of('\n', end);
  std::string line = output.substr(start == std::string::npos ? 0 : start + 1,
                                   end - (start == std::string::npos ? 0 : start + 1) + 1);
  if (line.size() > kMaxLine) line = line.substr(0, kMaxLine) + "...";
  return line;
}

}  // namespace

CommandReceiver::CommandReceiver(config::ReceiverConfig config) : config_(std::move(config)) {}

Delivery CommandReceiver::deliver(const tickets::Notification& notification) {
  const ChildResult result =
      run_child(config_.command, notification.payload, config_.timeout, kMaxOutput);
  if (result.started && !result.timed_out && result.signal == 0 && result.exit_code == 0) {
    return {true, ""};
  }
  if (!result.started) return {false, result.error};
  std::string error = config_.command.front() + " " + describe(result, config_.timeout);
  if (const std::string line = last_line(result.output); !line.empty()) error += ": " + line;
  return {false, error};
}

}  // namespace opr::notify
