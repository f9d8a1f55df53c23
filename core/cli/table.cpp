#include "cli/table.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace opr::cli {

namespace {

constexpr size_t kGap = 2;
constexpr size_t kMinLastColumn = 12;
constexpr size_t kDefaultWidth = 80;

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::string one_line(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return text;
}

}  // namespace

size_t terminal_width() {
  if (const char* columns = std::getenv("COLUMNS")) {
    size_t width = 0;
    const char* end = columns + std::strlen(columns);
    auto [ptr, ec] = std::from_chars(columns, end, width);
    if (ec == std::errc() && ptr == end && width > 0) return width;
  }
  winsize size{};
  if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 &&
      size.ws_col > 0) {
    return size.ws_col;
  }
  return kDefaultWidth;
}

size_t display_width(const std::string& text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation_byte(c); }));
}

std::string cut_to_width(const std::string& text, size_t width) {
  if (display_width(text) <= width) return text;
  const std::string ellipsis = "...";
  if (width <= ellipsis.size()) return ellipsis.substr(0, width);
  // Keep width - 3 code points, never splitting one.
  size_t kept = 0;
  size_t end = 0;
  while (end < text.size()) {
    if (!is_continuation_byte(text[end])) {
      if (kept == width - ellipsis.size()) break;
      ++kept;
    }
    ++end;
  }
  return text.substr(0, end) + ellipsis;
}

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  for (auto& cell : cells) cell = one_line(std::move(cell));
  rows_.push_back(std::move(cells));
}

void Table::print(std::ostream& out, size_t width) const {
  const size_t count = columns_.size();
  std::vector<size_t> widths(count);
  for (size_t c = 0; c < count; ++c) {
    widths[c] = display_width(columns_[c].header);
    for (const auto& row : rows_) widths[c] = std::max(widths[c], display_width(row[c]));
  }
  if (width > 0 && count > 0) {
    size_t others = 0;
    for (size_t c = 0; c + 1 < count; ++c) others += widths[c] + kGap;
    const size_t room = width > others ? width - others : 0;
    widths[count - 1] = std::min(widths[count - 1], std::max(room, kMinLastColumn));
  }
  auto print_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < count; ++c) {
      const bool last = c + 1 == count;
      const std::string cell = last ? cut_to_width(cells[c], widths[c]) : cells[c];
      const size_t fill = widths[c] - display_width(cell);
      if (columns_[c].align == Align::right) line.append(fill, ' ');
      line += cell;
      if (!last) line.append((columns_[c].align == Align::left ? fill : 0) + kGap, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);  // no trailing blanks after empty cells
    out << line << '\n';
  };
  std::vector<std::string> headers;
  for (const auto& column : columns_) headers.push_back(column.header);
  print_line(headers);
  for (const auto& row : rows_) print_line(row);
}

}  // namespace opr::cli
