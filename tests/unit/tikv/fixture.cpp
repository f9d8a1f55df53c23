#include "fixture.h"

#include "test_support.h"

namespace opr::tikv::test {

std::string fixture(const std::string& relative) {
  return opr::test::read_file(opr::test::fixtures_dir() / relative);
}

StoreList parse_stores(const std::string& body) {
  PdStoreListParser parser;
  return parse_pd_stores(parser, body);
}

std::vector<Sample> parse_vector(const std::string& body) {
  simdjson::ondemand::parser parser;
  return parse_prom_vector(parser, body);
}

std::string vector_answer(const std::vector<Series>& series) {
  std::string out = R"({"status":"success","data":{"resultType":"vector","result":[)";
  for (size_t i = 0; i < series.size(); ++i) {
    if (i > 0) out += ",";
    out += R"({"metric":{"instance":")" + series[i].instance + "\"";
    if (!series[i].type.empty()) out += R"(,"type":")" + series[i].type + "\"";
    out += R"(},"value":[1741595415.087,")" + series[i].value + "\"]}";
  }
  return out + "]}}";
}

std::map<std::string, Fact> facts_of(const Violation& v) {
  std::map<std::string, Fact> out;
  for (const Fact& f : v.facts) out[f.key] = f;
  return out;
}

std::vector<std::string> subjects(const std::vector<Violation>& violations) {
  std::vector<std::string> out;
  for (const Violation& v : violations) out.push_back(v.subject);
  return out;
}

}  // namespace opr::tikv::test
