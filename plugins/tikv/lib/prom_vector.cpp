#include "prom_vector.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

#include "text.h"

namespace opr::tikv {
namespace ondemand = simdjson::ondemand;

namespace {

// How much of a text from the answer goes into a message.
constexpr size_t kMaxQuoted = 512;

std::string what_of(std::string error_type, const std::string& error) {
  return "Prometheus answered status \"error\" (" + error_type + "): " + error;
}

Sample read_sample(ondemand::object series, size_t index) {
  Sample sample;
  bool has_value = false;
  for (ondemand::field field : series) {
    const ondemand::raw_json_string key = field.key();
    if (key == "metric") {
      for (ondemand::field label : field.value().get_object()) {
        const ondemand::raw_json_string name = label.key();
        if (name == "instance") {
          sample.instance = std::string(std::string_view(label.value()));
        } else if (name == "type") {
          sample.type = std::string(std::string_view(label.value()));
        } else if (name == "condition") {
          sample.condition = std::string(std::string_view(label.value()));
        }
      }
    } else if (key == "value") {
      // [ <unix time as a number>, "<value as a string>" ]
      size_t position = 0;
      for (ondemand::value item : field.value().get_array()) {
        if (position++ != 1) continue;
        const std::string_view text = item.get_string();
        const auto value = parse_sample_value(text);
        if (!value) {
          throw ResponseError("result[" + std::to_string(index) + "] has the value \"" +
                              body_excerpt(text, 40) + "\", which is not a number");
        }
        sample.value = *value;
        has_value = true;
      }
    }
  }
  if (!has_value) throw ResponseError("result[" + std::to_string(index) + "] has no value");
  return sample;
}

}  // namespace

QueryError::QueryError(std::string error_type, std::string error)
    : std::runtime_error(what_of(error_type, error)),
      error_type_(std::move(error_type)),
      error_(std::move(error)) {}

std::vector<Sample> parse_prom_vector(ondemand::parser& parser, std::string_view body,
                                      size_t padding) {
  const JsonBody json(body, padding);
  std::vector<Sample> samples;
  // A series takes at least ~70 bytes of the answer (its instance label,
  // a time and a value): reserving for that many spares growing the vector
  // ~14 times for the 10,000 series of a 10,000-store answer.
  samples.reserve(std::min(body.size() / 70, kMaxSeries));
  try {
    ondemand::document doc = parser.iterate(json.view());
    std::string status, error_type, error, result_type;
    bool has_result = false;
    for (ondemand::field field : doc.get_object()) {
      const ondemand::raw_json_string key = field.key();
      if (key == "status") {
        status = body_excerpt(field.value().get_string(), kMaxQuoted);
      } else if (key == "errorType") {
        error_type = body_excerpt(field.value().get_string(), kMaxQuoted);
      } else if (key == "error") {
        error = body_excerpt(field.value().get_string(), kMaxQuoted);
      } else if (key == "data") {
        for (ondemand::field data : field.value().get_object()) {
          const ondemand::raw_json_string data_key = data.key();
          if (data_key == "resultType") {
            result_type = body_excerpt(data.value().get_string(), kMaxQuoted);
            if (result_type != "vector") break;  // reported below, whatever the result holds
          } else if (data_key == "result") {
            if (!result_type.empty() && result_type != "vector") continue;
            has_result = true;
            for (ondemand::value series : data.value().get_array()) {
              if (samples.size() == kMaxSeries) {
                throw ResponseError("the answer has more than " + std::to_string(kMaxSeries) +
                                    " series, the most the pack reads");
              }
              samples.push_back(read_sample(series.get_object(), samples.size()));
            }
          }
        }
        if (!result_type.empty() && result_type != "vector") break;
      }
    }
    if (status == "error") throw QueryError(error_type, error);
    if (status != "success") {
      throw ResponseError(status.empty() ? "the answer has no \"status\" field"
                                         : "unknown status \"" + status + "\"");
    }
    if (result_type != "vector") {
      throw ResponseError(result_type.empty()
                              ? "the answer has no data.resultType"
                              : "expected resultType \"vector\", got \"" + result_type + "\"");
    }
    if (!has_result) throw ResponseError("the answer has no data.result");
    if (!at_document_end(doc)) throw ResponseError("unexpected content after the answer");
  } catch (const simdjson::simdjson_error& e) {
    throw ResponseError(describe_json_error(e.error()));
  }
  return samples;
}

std::optional<double> parse_sample_value(std::string_view text) {
  // Go's strconv.FormatFloat spells the special values this way.
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "+Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace opr::tikv
