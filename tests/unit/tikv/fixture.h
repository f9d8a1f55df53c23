// Fixture files and hand-made answers for the TiKV pack's unit tests.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "evaluation.h"
#include "pd_stores.h"
#include "prom_vector.h"

namespace opr::tikv::test {

// tests/fixtures/<relative>, whole.
std::string fixture(const std::string& relative);

// Parses with a fresh parser, the body fed in one piece.
StoreList parse_stores(const std::string& body);
std::vector<Sample> parse_vector(const std::string& body);

// A Prometheus success answer with resultType vector; each series given as
// {instance, type ("" for none), value text}.
struct Series {
  std::string instance;
  std::string type;
  std::string value;
};
std::string vector_answer(const std::vector<Series>& series);

// A violation's facts by key.
std::map<std::string, Fact> facts_of(const Violation& v);
// The violations' subjects, in order.
std::vector<std::string> subjects(const std::vector<Violation>& violations);

}  // namespace opr::tikv::test
