#include "notify/diagnose_hook.h"

#include <nlohmann/json.hpp>

#include <utility>

#include "common/json_output.h"
#include "common/text_check.h"
#include "notify/child_process.h"
#include "tickets/ticket_json.h"
#include "tickets/ticket_store.h"

namespace opr::notify {

namespace {

// The events a hook is given: the latest, enough to see how the ticket
// came to be.
constexpr size_t kMaxEvents = 50;

std::string trimmed(std::string text) {
  const size_t end = text.find_last_not_of(" \t\r\n");
  text.resize(end == std::string::npos ? 0 : end + 1);
  return text;
}

// Its first line, short: for the ticket's timeline and the log.
std::string first_line(const std::string& text) {
  constexpr size_t kMax = 200;
  std::string line = trimmed(text.substr(0, text.find('\n')));
  if (line.size() > kMax) line = line.substr(0, kMax) + "...";
  return line;
}

}  // namespace

DiagnoseHook::DiagnoseHook(config::ReceiverConfig config, tickets::TicketStore& store)
    : config_(std::move(config)), store_(store) {}

std::string DiagnoseHook::input(const tickets::Notification& notification) const {
  nlohmann::ordered_json json = nlohmann::ordered_json::parse(notification.payload, nullptr, false);
  if (!json.is_object()) json = nlohmann::ordered_json::object();
  std::vector<tickets::TicketEvent> events = store_.events(notification.ticket_id);
  if (events.size() > kMaxEvents) events.erase(events.begin(), events.end() - kMaxEvents);
  json["events"] = tickets::events_json(events);
  return json_output(json);
}

Delivery DiagnoseHook::deliver(const tickets::Notification& notification) {
  const std::string actor = config_.outbox_name();
  Delivery delivery;
  try {
    const ChildResult result = run_child(config_.command, input(notification), config_.timeout,
                                         config_.max_output, /*separate_stderr=*/true);
    std::string output = result.output;
    // Output cut at max_output may end inside a character: drop its start.
    if (output.size() == config_.max_output) {
      if (const auto bad = invalid_utf8_at(output); bad && *bad + 4 > output.size()) {
        output.resize(*bad);
      }
    }
    const std::string diagnosis = trimmed(std::move(output));
    const bool exited_zero =
        result.started && !result.timed_out && result.signal == 0 && result.exit_code == 0;
    // Kept only as `tickets diagnose` would keep it: UTF-8 text.
    const std::optional<std::string> problem = text_problem(diagnosis);
    if (exited_zero && !diagnosis.empty() && !problem) {
      store_.diagnose(notification.ticket_id, actor, diagnosis);
      return {true, ""};
    }
    const std::string& program = config_.command.front();
    if (!result.started) {
      delivery.error = result.error;
    } else if (!exited_zero) {
      delivery.error = program + " " + describe(result, config_.timeout);
    } else if (diagnosis.empty()) {
      delivery.error = program + " printed no diagnosis";
    } else {
      delivery.error = program + " printed a diagnosis that " + *problem;
    }
    if (const std::string line = first_line(result.error_output); !line.empty()) {
      delivery.error += ": " + line;
    }
  } catch (const tickets::TicketError& e) {
    // Resolved, or diagnosed by someone, while the hook ran.
    delivery.error = std::string("diagnosis not recorded: ") + e.what();
  } catch (const std::exception& e) {
    delivery.error = e.what();
    return delivery;  // the store itself failed: nothing to record the failure in
  }
  try {
    store_.add_event(notification.ticket_id, actor, "diagnosis failed", delivery.error);
  } catch (const std::exception&) {
    // The sender logs the failure and keeps it on the notification.
  }
  return delivery;
}

}  // namespace opr::notify
