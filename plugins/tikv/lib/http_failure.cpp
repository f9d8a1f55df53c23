#include "http_failure.h"

#include <simdjson.h>

#include "json_body.h"
#include "text.h"
#include "url.h"

namespace opr::tikv {
namespace ondemand = simdjson::ondemand;

namespace {

// Prometheus' {"status":"error","errorType":...,"error":...} as "type: error".
std::optional<std::string> prometheus_error(ondemand::document& doc) {
  ondemand::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
  std::string error_type, error;
  for (auto field : object) {
    ondemand::raw_json_string key;
    if (field.key().get(key) != simdjson::SUCCESS) return std::nullopt;
    std::string_view text;
    if (key == "errorType" && field.value().get_string().get(text) == simdjson::SUCCESS) {
      error_type = text;
    } else if (key == "error" && field.value().get_string().get(text) == simdjson::SUCCESS) {
      error = text;
    }
  }
  if (error.empty()) return std::nullopt;
  return error_type.empty() ? error : error_type + ": " + error;
}

}  // namespace

std::string error_body_detail(std::string_view body) {
  if (trim(body).empty()) return "(empty body)";
  ondemand::parser parser;
  const JsonBody json(body, 0);
  ondemand::document doc;
  if (parser.iterate(json.view()).get(doc) == simdjson::SUCCESS) {
    ondemand::json_type type;
    if (doc.type().get(type) == simdjson::SUCCESS) {
      std::string_view text;
      if (type == ondemand::json_type::string && doc.get_string().get(text) == simdjson::SUCCESS) {
        return body_excerpt(text);
      }
      if (type == ondemand::json_type::object) {
        if (auto error = prometheus_error(doc)) return body_excerpt(*error);
      }
    }
  }
  return body_excerpt(body);
}

std::optional<std::string> http_failure(std::string_view source, std::string_view url,
                                        const HttpOutcome& outcome) {
  const std::string request = std::string(source) + " GET " + redact_url(url);
  if (!outcome.arrived) {
    return request + " failed: " +
           (outcome.error.empty() ? std::string("no response") : std::string(outcome.error));
  }
  if (outcome.status >= 200 && outcome.status < 300) return std::nullopt;
  return request + " answered HTTP " + std::to_string(outcome.status) + ": " +
         error_body_detail(outcome.body);
}

}  // namespace opr::tikv
