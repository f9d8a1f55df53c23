#include "cli/tickets_text.h"

#include <nlohmann/json.hpp>

#include <sstream>
#include <string_view>

#include "cli/table.h"
#include "common/json_output.h"
#include "common/terminal_text.h"
#include "tickets/ticket_flags.h"

namespace opr::cli {

namespace {

std::string short_severity(Severity severity) {
  switch (severity) {
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warn";
    case Severity::critical:
      return "crit";
  }
  return "?";
}

// The FLAGS cell: the ticket's flags, comma-separated, "-" when none.
std::string flags_cell(const tickets::Ticket& ticket) {
  std::string text;
  for (const auto& flag : tickets::ticket_flags(ticket)) text += (text.empty() ? "" : ",") + flag;
  return text.empty() ? "-" : text;
}

std::string severity_style(Severity severity) {
  switch (severity) {
    case Severity::critical:
      return kRed;
    case Severity::warning:
      return kYellow;
    case Severity::info:
      break;
  }
  return "";
}

// Open stands out; a person's hand (acknowledged, diagnosed) and resolved
// ones recede.
std::string status_style(tickets::Status status) {
  switch (status) {
    case tickets::Status::open:
      return kBold;
    case tickets::Status::acknowledged:
    case tickets::Status::diagnosed:
      return kCyan;
    case tickets::Status::resolved:
      return kGreen;
  }
  return "";
}

// Every line of `text` indented by two spaces; line breaks and tabs are
// layout, every other control character is escaped.
void print_block(std::ostream& out, const std::string& text) {
  std::istringstream lines(escape_for_terminal(text, TextLayout::lines));
  std::string line;
  while (std::getline(lines, line)) out << "  " << line << '\n';
}

std::string pretty_snapshot(const std::string& text) {
  const nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(text, nullptr, false);
  return parsed.is_discarded() ? text : json_output(parsed, 2);
}

// One line: the value's control characters, line breaks included, escaped.
void field(std::ostream& out, std::string_view label, const std::string& value) {
  constexpr size_t kLabelWidth = 16;
  // A label as long as the column still gets one space (not a negative count).
  const size_t pad = label.size() < kLabelWidth ? kLabelWidth - label.size() : 1;
  out << label << std::string(pad, ' ') << escape_for_terminal(value) << '\n';
}

}  // namespace

std::string age(TimePoint since, TimePoint now) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - since).count();
  if (seconds < 60) return std::to_string(seconds < 0 ? 0 : seconds) + "s ago";
  if (seconds < 3600) return std::to_string(seconds / 60) + "m ago";
  if (seconds < 48 * 3600) return std::to_string(seconds / 3600) + "h ago";
  return std::to_string(seconds / 86400) + "d ago";
}

void print_ticket_table(std::ostream& out, const std::vector<tickets::Ticket>& tickets,
                        size_t width, TimePoint now, bool color) {
  using Align = Table::Align;
  Table table({{"ID", Align::right},
               {"STATUS"},
               {"SEV"},
               {"TARGET", Align::left, true},
               {"CHECK", Align::left, true},
               {"SUBJECT", Align::left, true},
               {"COUNT", Align::right},
               {"FIRST SEEN"},
               {"FLAGS"},
               {"MESSAGE"}});
  for (const auto& ticket : tickets) {
    table.add_row(
        {std::to_string(ticket.id), std::string(to_string(ticket.status)),
         short_severity(ticket.severity), ticket.target, ticket.check,
         ticket.subject.empty() ? "-" : ticket.subject, std::to_string(ticket.occurrence_count),
         age(ticket.first_seen_at, now), flags_cell(ticket), ticket.message},
        {"", status_style(ticket.status), severity_style(ticket.severity)});
  }
  table.print(out, width, color);
}

void print_ticket_details(std::ostream& out, const tickets::Ticket& ticket,
                          const std::vector<tickets::TicketEvent>& events,
                          const std::vector<tickets::Notification>& notifications) {
  out << "ticket " << ticket.id << ": " << to_string(ticket.status);
  if (ticket.unknown) out << ", unknown";
  if (ticket.held) out << ", held";
  if (ticket.flapping) out << ", flapping";
  if (ticket.silenced_by) out << ", silenced (silence " << *ticket.silenced_by << ")";
  if (ticket.blocked_by) {
    out << ", blocked by ticket " << *ticket.blocked_by << " ("
        << escape_for_terminal(ticket.blocked_cause) << ")";
  }
  out << "\n\n";
  field(out, "violation key", ticket.violation_key);
  field(out, "target", ticket.target);
  field(out, "check", ticket.check);
  field(out, "subject", ticket.subject.empty() ? "-" : ticket.subject);
  field(out, "severity", std::string(to_string(ticket.severity)));
  field(out, "message", ticket.message);
  field(out, "batch", ticket.batch_key.empty() ? "-" : ticket.batch_key);
  field(out, "occurrences", std::to_string(ticket.occurrence_count));
  field(out, "first seen", format_utc(ticket.first_seen_at));
  field(out, "last seen", format_utc(ticket.last_seen_at));
  if (ticket.unknown_since) {
    field(out, "unknown since", format_utc(*ticket.unknown_since));
    field(out, "last unknown", ticket.unknown_at ? format_utc(*ticket.unknown_at) : "-");
    field(out, "unknown reason", ticket.unknown_reason.empty() ? "-" : ticket.unknown_reason);
  }
  if (ticket.acknowledged_until) {
    field(out, "ack expires", format_utc(*ticket.acknowledged_until));
  }
  field(out, "resolved", ticket.resolved_at ? format_utc(*ticket.resolved_at) : "-");
  field(out, "created", format_utc(ticket.created_at));
  field(out, "updated", format_utc(ticket.updated_at));

  out << "\nmetric snapshot\n";
  print_block(out, pretty_snapshot(ticket.metric_snapshot));
  out << "\ndiagnosis\n";
  print_block(out, ticket.diagnosis.empty() ? "(none)" : ticket.diagnosis);

  out << "\ntimeline\n";
  Table timeline({{"  AT"}, {"ACTOR"}, {"CHANGE"}, {"NOTE"}});
  for (const auto& event : events) {
    // Status changes read "open -> acknowledged"; flags and other events
    // by their name ("hold", "flapping"), as they change no status.
    std::string change = event_name(event);
    if (is_status_change(event)) {
      change = event.from_status.empty() ? event.to_status
                                         : event.from_status + " -> " + event.to_status;
      if (change == "resolved -> open") change += " (reopened)";
    }
    timeline.add_row({"  " + format_utc(event.at), event.actor, change, event.note});
  }
  timeline.print(out);
  if (notifications.empty()) return;

  out << "\nnotifications\n";
  Table sent({{"  RECEIVER"}, {"EVENT"}, {"STATE"}, {"TRIES"}, {"WHEN"}, {"ERROR"}});
  for (const auto& n : notifications) {
    // Delivered: when; pending: the next try; failed: nothing more.
    std::string when = "-";
    if (n.delivered_at) {
      when = format_utc(*n.delivered_at);
    } else if (n.state == tickets::DeliveryState::pending) {
      when = "next " + format_utc(n.next_attempt_at);
    }
    sent.add_row({"  " + n.receiver, std::string(to_string(n.event)),
                  std::string(to_string(n.state)), std::to_string(n.attempts), when,
                  n.last_error.empty() ? "-" : n.last_error});
  }
  sent.print(out);
}

void print_silence_table(std::ostream& out, const std::vector<tickets::Silence>& silences,
                         size_t width, TimePoint now) {
  using Align = Table::Align;
  Table table({{"ID", Align::right},
               {"STATE"},
               {"TARGET"},
               {"CHECK"},
               {"SUBJECT"},
               {"STARTS"},
               {"ENDS"},
               {"AUTHOR"},
               {"COMMENT"}});
  for (const auto& silence : silences) {
    const char* state = silence.active(now)       ? "active"
                        : now < silence.starts_at ? "pending"
                                                  : "ended";
    table.add_row({std::to_string(silence.id), state, silence.target, silence.check.value_or("*"),
                   silence.subject.value_or("*"), format_utc(silence.starts_at),
                   format_utc(silence.ends_at), silence.author, silence.comment});
  }
  table.print(out, width);
}

}  // namespace opr::cli
