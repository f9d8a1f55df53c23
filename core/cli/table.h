// Aligned text tables for the terminal, as `tickets list` and other commands
// print them: left-aligned columns two spaces apart, the last (elastic)
// column cut so that lines fit the terminal.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace opr::cli {

// The width to fit output to: $COLUMNS when it is a positive number, else
// the terminal's width when stdout is a terminal, else 80.
size_t terminal_width();

// The number of columns `text` takes (UTF-8 code points).
size_t display_width(const std::string& text);
// `text` cut to at most `width` columns, ending in "..." when cut.
std::string cut_to_width(const std::string& text, size_t width);

class Table {
 public:
  enum class Align { left, right };
  struct Column {
    std::string header;
    Align align = Align::left;
  };

  explicit Table(std::vector<Column> columns);

  // A row has one cell per column. Line breaks in a cell print as spaces.
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
