// The answer to a Prometheus instant query (GET /api/v1/query) when it is an
// instant vector, parsed with simdjson On-Demand in one pass.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "json_body.h"

namespace opr::tikv {

// One series of the vector. Only the labels the checks group by are kept.
struct Sample {
  std::string instance;  // the `instance` label ("" when absent)
  std::string type;      // the `type` label ("" when absent)
  double value = 0;      // NaN and +/-Inf included, as Prometheus wrote them
  // The `condition` label: which condition of a PD metric check's one query
  // the series answers (pd_metric_query()); "" when absent.
  std::string condition{};
};

// Prometheus answered {"status":"error", ...}: the query could not run.
class QueryError : public std::runtime_error {
 public:
  QueryError(std::string error_type, std::string error);
  const std::string& error_type() const { return error_type_; }  // e.g. "bad_data"
  const std::string& error() const { return error_; }

 private:
  std::string error_type_;
  std::string error_;
};

// The most series an answer may hold: the pack's queries give one or two
// per store (see PdStoreListParser::kMaxStores).
constexpr size_t kMaxSeries = 200'000;

// Parses a query answer. Throws QueryError for "status":"error", and
// ResponseError for malformed JSON, a resultType other than "vector", a
// sample value that is not a number, or more than kMaxSeries series; any
// bytes at all give one of these. Text from the answer that goes into a
// message (Prometheus' error, an unknown status) is cut to a few hundred
// bytes. `padding`: see JsonBody. Nothing returned points into `parser`.
std::vector<Sample> parse_prom_vector(simdjson::ondemand::parser& parser, std::string_view body,
                                      size_t padding = 0);

// A sample value as Prometheus writes it: "0.15", "1e-05", "NaN", "+Inf",
// "-Inf". nullopt when it is none of those.
std::optional<double> parse_sample_value(std::string_view text);

}  // namespace opr::tikv
