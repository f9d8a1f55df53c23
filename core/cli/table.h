// Aligned text tables for the terminal, as `tickets list` and other commands
// print them: left-aligned columns two spaces apart, the last (elastic)
// column cut so that lines fit the terminal. Cells are text from outside:
// they are shown through escape_for_terminal (common/terminal_text.h), and
// measured as shown.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace opr::cli {

// The width to fit output to: $COLUMNS when it is a positive number, else
// the terminal's width when stdout is a terminal, else 80.
size_t terminal_width();

// The number of terminal columns `text` (valid UTF-8, as escape_for_terminal
// leaves it) takes: wide East Asian characters and emoji take 2, combining
// marks 0, others 1.
size_t display_width(const std::string& text);
// `text` cut to at most `width` columns, ending in "..." when cut, never
// inside a character.
std::string cut_to_width(const std::string& text, size_t width);

class Table {
 public:
  enum class Align { left, right };
  struct Column {
    std::string header;
    Align align = Align::left;
  };

  explicit Table(std::vector<Column> columns);

  // A row has one cell per column. Control characters in a cell (line
  // breaks and tabs too) are escaped: a row is one line.
  void add_row(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }

  // Prints the header and rows. When `width` is not 0, the last column is
  // cut so that lines fit in `width` (but keeps at least a few columns).
  void print(std::ostream& out, size_t width = 0) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace opr::cli
