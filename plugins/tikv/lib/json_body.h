// A response body as simdjson wants it: read in place when the bytes after
// it are known to be readable, copied into a padded buffer otherwise.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace opr::tikv {

// A response that cannot be used: malformed JSON, a missing field, a shape
// that is not what the API documents. what() says what was wrong.
class ResponseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `padding` is how many readable bytes follow `body` (the host guarantees
// OP_HTTP_BODY_PADDING; a plain std::string gives 0). With at least
// SIMDJSON_PADDING of them the body is parsed where it is, with no copy.
class JsonBody {
 public:
  JsonBody(std::string_view body, size_t padding);
  JsonBody(const JsonBody&) = delete;
  JsonBody& operator=(const JsonBody&) = delete;

  // Valid while this object and the body it was made from live.
  simdjson::padded_string_view view() const { return view_; }
  // True when the body had to be copied (too little padding after it).
  bool copied() const { return copied_; }

 private:
  simdjson::padded_string copy_;
  simdjson::padded_string_view view_;
  bool copied_ = false;
};

// True when every token of `doc` has been read: On-Demand reads lazily,
// so trailing garbage after a complete value is only seen by asking.
bool at_document_end(simdjson::ondemand::document& doc);

// simdjson's error as text for a ResponseError.
std::string describe_json_error(simdjson::error_code code);

}  // namespace opr::tikv
