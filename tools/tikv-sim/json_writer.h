// A streaming JSON writer that lays text out exactly as Go's encoding/json
// MarshalIndent(v, "", "  ") does, which is what PD's API answers. A string
// builder rather than a DOM keeps 10,000 stores (about 14 MB) fast.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace opr::sim {

class JsonWriter {
 public:
  explicit JsonWriter(std::size_t reserve = 0) { out_.reserve(reserve); }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The key of the next value inside an object.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(std::uint64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(bool flag);
  JsonWriter& value(double number);  // Go float64: "1" for 1.0, no exponent

  // The document, ending in "\n" as Go's json.Encoder writes it.
  std::string finish();

 private:
  void before_value();
  JsonWriter& close(char bracket);
  void newline_indent();

  std::string out_;
  std::vector<bool> has_items_;  // one per open container
  bool after_key_ = false;
};

// `text` as a JSON string literal, quotes included.
std::string json_quote(std::string_view text);

}  // namespace opr::sim
