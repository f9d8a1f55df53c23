// The SQL of TicketStore::list: the WHERE, ORDER BY and paging a ListFilter
// asks for, with every value a bound parameter (the ORDER BY is picked from
// a fixed set, never built from input).
#pragma once

#include <string>
#include <vector>

#include "tickets/ticket_store.h"

namespace soci {
class statement;
}

namespace opr::tickets {

class ListQuery {
 public:
  explicit ListQuery(const ListFilter& filter);

  // The query's text, selecting kTicketColumns from tickets.
  const std::string& text() const { return text_; }
  // Binds the values, in the order of their placeholders. The statement
  // reads them from this object: keep it alive until the statement is done.
  void bind(soci::statement& statement);

 private:
  void add_text(const std::string& column, const std::string& value);
  // `column IN (...)`, one bound value each.
  void add_in(const std::string& column, const std::vector<std::string>& values);

  std::string text_;
  std::vector<std::string> conditions_;
  // Every value, in the order of its placeholder; texts before numbers.
  std::vector<std::string> texts_;
  std::vector<long long> numbers_;
};

}  // namespace opr::tickets
