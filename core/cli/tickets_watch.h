// `tickets list` and `tickets watch`: the filter as of a moment, the text
// they print, and watch's redraw loop.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <vector>

#include "cli/command_line.h"
#include "tickets/ticket_store.h"

namespace opr::cli {

// The request's filter at `now`: --since DURATION counts back from it.
tickets::ListFilter list_filter(const TicketsListRequest& request, TimePoint now);

// The table, or the line saying there is nothing to show: "no open
// tickets" (the default filter) or "no tickets". `width` 0: never cut.
void print_ticket_list(std::ostream& out, const std::vector<tickets::Ticket>& found,
                       const tickets::ListFilter& filter, size_t width, TimePoint now, bool color);

// Redraws the list every interval, and as soon as `sqlite_file` (or its
// write-ahead log) changes when it is given, until SIGINT or SIGTERM;
// returns 0 then. On a terminal it draws on the alternate screen with the
// cursor hidden and puts both back on the way out, whatever ends it; else
// it prints the list once per interval, a blank line between two.
int watch_tickets(tickets::TicketStore& store,
                  const std::optional<std::filesystem::path>& sqlite_file,
                  const TicketsWatchRequest& request, ColorMode color);

}  // namespace opr::cli
