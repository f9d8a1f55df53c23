#include "cli/table.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <utility>

#include "common/terminal_text.h"

namespace opr::cli {

namespace {

constexpr size_t kGap = 2;
constexpr size_t kMinLastColumn = 12;

// The code point at text[i] of valid UTF-8, and how many bytes it takes.
char32_t decode(const std::string& text, size_t i, size_t& length) {
  const auto byte = [&](size_t k) {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u;
  };
  const unsigned lead = byte(0);
  if (lead < 0x80) {
    length = 1;
    return lead;
  }
  if (lead < 0xE0) {
    length = 2;
    return ((lead & 0x1Fu) << 6) | (byte(1) & 0x3Fu);
  }
  if (lead < 0xF0) {
    length = 3;
    return ((lead & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
  }
  length = 4;
  return ((lead & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) | ((byte(2) & 0x3Fu) << 6) |
         (byte(3) & 0x3Fu);
}

struct Range {
  char32_t first;
  char32_t last;
};

bool in_ranges(char32_t c, const Range* ranges, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (c >= ranges[i].first && c <= ranges[i].last) return true;
  }
  return false;
}

// How many columns a terminal gives code point `c`: 0 for combining marks
// and zero-width characters, 2 for East Asian wide and fullwidth ones and
// emoji, 1 otherwise (the common ranges of Markus Kuhn's wcwidth, without
// depending on the process's locale).
size_t columns_of(char32_t c) {
  if (c < 0x300) return 1;
  static constexpr Range kZero[] = {
      {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
      {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
      {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
      {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}};
  static constexpr Range kWide[] = {{0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},
                                    {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
                                    {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE30, 0xFE4F},
                                    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
                                    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD}};
  if (in_ranges(c, kZero, std::size(kZero))) return 0;
  return in_ranges(c, kWide, std::size(kWide)) ? 2 : 1;
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
  return 0;
}

size_t display_width(const std::string& text) {
  size_t width = 0;
  for (size_t i = 0, length = 0; i < text.size(); i += length) {
    width += columns_of(decode(text, i, length));
  }
  return width;
}

std::string cut_to_width(const std::string& text, size_t width) {
  if (display_width(text) <= width) return text;
  const std::string ellipsis = "...";
  if (width <= ellipsis.size()) return ellipsis.substr(0, width);
  // Keep what fits in width - 3 columns, never splitting a character.
  size_t used = 0;
  size_t end = 0;
  for (size_t length = 0; end < text.size(); end += length) {
    const size_t columns = columns_of(decode(text, end, length));
    if (used + columns > width - ellipsis.size()) break;
    used += columns;
  }
  return text.substr(0, end) + ellipsis;
}

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {
  for (auto& column : columns_) column.header = escape_for_terminal(column.header);
}

void Table::add_row(std::vector<std::string> cells, std::vector<std::string> styles) {
  cells.resize(columns_.size());
  styles.resize(columns_.size());
  for (auto& cell : cells) {
    if (terminal_safe_prefix(cell) != cell.size()) cell = escape_for_terminal(cell);
  }
  rows_.push_back(std::move(cells));
  styles_.push_back(std::move(styles));
}

void Table::fit_cut_columns(std::vector<size_t>& widths, size_t width) const {
  size_t total = 0;
  for (const size_t w : widths) total += w + kGap;
  total -= kGap;
  while (total > width) {
    // The widest column that may still give a column up.
    size_t widest = widths.size();
    for (size_t c = 0; c + 1 < widths.size(); ++c) {
      const size_t least = std::max(display_width(columns_[c].header), kMinCutColumn);
      if (!columns_[c].cut || widths[c] <= least) continue;
      if (widest == widths.size() || widths[c] > widths[widest]) widest = c;
    }
    if (widest == widths.size()) return;  // as narrow as it goes
    --widths[widest];
    --total;
  }
}

void Table::print(std::ostream& out, size_t width, bool color) const {
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
    fit_cut_columns(widths, width);
  }
  const std::vector<std::string> no_styles(count);
  auto print_line = [&](const std::vector<std::string>& cells,
                        const std::vector<std::string>& styles) {
    std::string line;
    for (size_t c = 0; c < count; ++c) {
      const bool last = c + 1 == count;
      const std::string cell =
          last || columns_[c].cut ? cut_to_width(cells[c], widths[c]) : cells[c];
      const size_t fill = widths[c] - display_width(cell);
      if (columns_[c].align == Align::right) line.append(fill, ' ');
      // The style wraps the text alone: the padding is measured and left plain.
      const bool styled = color && !styles[c].empty() && !cell.empty();
      if (styled) line += styles[c];
      line += cell;
      if (styled) line += kReset;
      if (!last) line.append((columns_[c].align == Align::left ? fill : 0) + kGap, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);  // no trailing blanks after empty cells
    out << line << '\n';
  };
  std::vector<std::string> headers;
  for (const auto& column : columns_) headers.push_back(column.header);
  print_line(headers, no_styles);
  for (size_t r = 0; r < rows_.size(); ++r) print_line(rows_[r], styles_[r]);
}

}  // namespace opr::cli
