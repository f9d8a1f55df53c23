// The one writer of ticket events, the rows of `ticket_events` that make
// each ticket's timeline: the monitor's batches, people's changes and the
// passing of time (expired acknowledgements, flapping that stopped) all
// write them here.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <string_view>

namespace opr::tickets {

// A reopen as SQL: the condition on a ticket_events row named `e` that it
// is one (from resolved back to open, what event_name calls "reopened").
extern const char* const kIsReopenEvent;

// The events of one actor at one time. The insert is prepared at the first
// add() and executed for every event after it: the monitor's batch writes
// thousands of events with one statement.
class EventWriter {
 public:
  // `sql` must outlive this object; `at` is in ms since the epoch.
  EventWriter(soci::session& sql, std::string actor, long long at);
  EventWriter(const EventWriter&) = delete;
  EventWriter& operator=(const EventWriter&) = delete;

  // Ticket `ticket_id` went `from` -> `to`: statuses (`from` empty when the
  // ticket was created) or, for a flag or an action, the ticket's status
  // then -> the event's name (ticket.h).
  void add(long long ticket_id, std::string_view from, std::string_view to,
           const std::string& note);

 private:
  soci::session& sql_;
  struct Binding {
    long long ticket_id = 0, at = 0;
    std::string actor, from, to, note;
  } bound_;
  std::optional<soci::statement> insert_;
};

// One event, for a change that writes only one.
void write_event(soci::session& sql, long long ticket_id, long long at, const std::string& actor,
                 std::string_view from, std::string_view to, const std::string& note);

}  // namespace opr::tickets
