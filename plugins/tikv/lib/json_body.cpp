#include "json_body.h"

namespace opr::tikv {

JsonBody::JsonBody(std::string_view body, size_t padding) {
  if (padding >= simdjson::SIMDJSON_PADDING) {
    view_ = simdjson::padded_string_view(body.data(), body.size(), body.size() + padding);
  } else {
    copy_ = simdjson::padded_string(body.data(), body.size());
    view_ = simdjson::padded_string_view(copy_.data(), copy_.size(),
                                         copy_.size() + simdjson::SIMDJSON_PADDING);
    copied_ = true;
  }
}

bool at_document_end(simdjson::ondemand::document& doc) {
  return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
}

std::string describe_json_error(simdjson::error_code code) {
  return std::string("malformed JSON (") + simdjson::error_message(code) + ")";
}

}  // namespace opr::tikv
