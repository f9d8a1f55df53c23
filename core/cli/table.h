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
// the terminal's width when stdout is a terminal, else 0: output that is
// piped or redirected is never cut.
size_t terminal_width();

// SGR sequences for coloured cells (Table::add_row's styles).
inline constexpr const char* kRed = "\x1b[31m";
inline constexpr const char* kYellow = "\x1b[33m";
inline constexpr const char* kGreen = "\x1b[32m";
inline constexpr const char* kCyan = "\x1b[36m";
inline constexpr const char* kBold = "\x1b[1m";
inline constexpr const char* kReset = "\x1b[0m";

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
    // May be cut (after the last column, widest first, never narrower
    // than its header or kMinCutColumn) when the table does not fit.
    bool cut = false;
  };
  static constexpr size_t kMinCutColumn = 8;

  explicit Table(std::vector<Column> columns);

  // A row has one cell per column. Control characters in a cell (line
  // breaks and tabs too) are escaped: a row is one line.
  // `styles`, when given, holds one SGR sequence per cell ("" for none),
  // written around the cell's text when print is asked to colour.
  void add_row(std::vector<std::string> cells, std::vector<std::string> styles = {});
  bool empty() const { return rows_.empty(); }

  // Prints the header and rows. When `width` is not 0, the last column is
  // cut so that lines fit in `width` (but keeps at least a few columns),
  // then the columns marked `cut` if it is not enough.
  // With `color`, styled cells are coloured; widths are measured on the
  // visible text alone, so colour never moves a column.
  void print(std::ostream& out, size_t width = 0, bool color = false) const;

 private:
  // Narrows the `cut` columns of `widths` until the table fits `width`, or
  // as far as they go.
  void fit_cut_columns(std::vector<size_t>& widths, size_t width) const;

  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::vector<std::string>> styles_;  // one per row, resized to the columns
};

}  // namespace opr::cli
