#include "cli/tickets_watch.h"

#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <iostream>
#include <sstream>

#include "cli/table.h"
#include "cli/tickets_text.h"
#include "common/duration.h"

namespace opr::cli {

namespace {

// Alternate screen and hidden cursor on, and both off again.
constexpr const char* kEnterScreen = "\x1b[?1049h\x1b[?25l";
constexpr const char* kLeaveScreen = "\x1b[?25h\x1b[?1049l";
constexpr const char* kClearHome = "\x1b[H\x1b[2J";

// How often the database file is looked at between two redraws: a change
// shows within this, at the cost of two stat() calls.
constexpr std::chrono::milliseconds kFileCheck{200};

// SIGINT and SIGTERM end the watch, SIGWINCH redraws it: blocked while it
// runs and taken with sigtimedwait, so no handler runs amid a redraw.
class BlockedSignals {
 public:
  BlockedSignals() {
    sigemptyset(&set_);
    for (int signo : {SIGINT, SIGTERM, SIGWINCH}) sigaddset(&set_, signo);
    pthread_sigmask(SIG_BLOCK, &set_, &previous_);
  }
  ~BlockedSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  BlockedSignals(const BlockedSignals&) = delete;
  BlockedSignals& operator=(const BlockedSignals&) = delete;

  // The signal that came within `timeout`, or 0.
  int wait(std::chrono::milliseconds timeout) const {
    const auto ms = std::max<long long>(timeout.count(), 0);
    timespec wait_for{static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1000000};
    const int signo = sigtimedwait(&set_, nullptr, &wait_for);
    return signo > 0 ? signo : 0;
  }

 private:
  sigset_t set_{};
  sigset_t previous_{};
};

// Puts the terminal back however the watch ends (a signal, an error).
class AlternateScreen {
 public:
  explicit AlternateScreen(bool active) : active_(active) {
    if (active_) std::cout << kEnterScreen << std::flush;
  }
  ~AlternateScreen() {
    if (active_) std::cout << kLeaveScreen << std::flush;
  }
  AlternateScreen(const AlternateScreen&) = delete;
  AlternateScreen& operator=(const AlternateScreen&) = delete;

 private:
  bool active_;
};

// What changes when another process commits: the file's and its
// write-ahead log's modification times and sizes.
std::string file_stamp(const std::filesystem::path& file) {
  std::string stamp;
  for (const std::string& name : {file.string(), file.string() + "-wal"}) {
    struct stat info {};
    if (::stat(name.c_str(), &info) != 0) {
      stamp += "-;";
      continue;
    }
    stamp += std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec) +
             "/" + std::to_string(info.st_size) + ";";
  }
  return stamp;
}

// Rows of the terminal on stdout; 0 when unknown.
size_t terminal_rows() {
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0) return size.ws_row;
  return 0;
}

// One screen: a heading like watch(1)'s, then the list, cut to the
// terminal's rows on a terminal (a table taller than the screen would
// scroll its top away).
std::string frame(tickets::TicketStore& store, const TicketsWatchRequest& request, bool terminal,
                  bool color) {
  const TimePoint now = now_ms();
  const tickets::ListFilter filter = list_filter(request.list, now);
  std::vector<tickets::Ticket> found = store.list(filter);
  std::ostringstream out;
  out << "Every " << format_duration(request.interval) << ": operator-host tickets watch    "
      << format_utc(now) << "\n\n";
  size_t hidden = 0;
  const size_t rows = terminal ? terminal_rows() : 0;
  constexpr size_t kOtherLines = 4;  // heading, blank, table header, "N more"
  if (rows > kOtherLines && found.size() > rows - kOtherLines) {
    hidden = found.size() - (rows - kOtherLines);
    found.resize(rows - kOtherLines);
  }
  print_ticket_list(out, found, filter, terminal_width(), now, color);
  if (hidden > 0) out << "(" << hidden << " more below; narrow the filter or use --limit)\n";
  return out.str();
}

}  // namespace

int watch_tickets(tickets::TicketStore& store,
                  const std::optional<std::filesystem::path>& sqlite_file,
                  const TicketsWatchRequest& request, ColorMode color_mode) {
  const bool terminal = ::isatty(STDOUT_FILENO) == 1;
  const bool color = use_color(color_mode, STDOUT_FILENO);
  const BlockedSignals signals;
  const AlternateScreen screen(terminal);
  for (bool first = true;; first = false) {
    const std::string stamp = sqlite_file ? file_stamp(*sqlite_file) : "";
    const std::string text = frame(store, request, terminal, color);
    if (terminal) {
      std::cout << kClearHome << text << std::flush;
    } else {
      std::cout << (first ? "" : "\n") << text << std::flush;
    }
    if (!std::cout) return 1;  // nobody reads any more
    const auto deadline = std::chrono::steady_clock::now() + request.interval;
    for (bool redraw = false; !redraw;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      const int signo = signals.wait(sqlite_file ? std::min(left, kFileCheck) : left);
      if (signo == SIGINT || signo == SIGTERM) return 0;
      redraw = signo == SIGWINCH || (sqlite_file && file_stamp(*sqlite_file) != stamp);
    }
  }
}

tickets::ListFilter list_filter(const TicketsListRequest& request, TimePoint now) {
  tickets::ListFilter filter = request.filter;
  if (request.since_ago) filter.last_seen_since = now - *request.since_ago;
  if (request.since) filter.last_seen_since = *request.since;
  return filter;
}

void print_ticket_list(std::ostream& out, const std::vector<tickets::Ticket>& found,
                       const tickets::ListFilter& filter, size_t width, TimePoint now, bool color) {
  if (found.empty()) {
    out << (filter.statuses.empty() && !filter.include_resolved ? "no open tickets\n"
                                                                : "no tickets\n");
  } else {
    print_ticket_table(out, found, width, now, color);
  }
}

}  // namespace opr::cli
