// Prometheus' answer to an instant query: any bytes give samples, a
// QueryError or a ResponseError; a sample value's text parses alike.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "json_body.h"
#include "prom_vector.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  // Reused across inputs, as the pack reuses its parser from run to run.
  static simdjson::ondemand::parser* parser = new simdjson::ondemand::parser();
  try {
    const auto samples = opr::tikv::parse_prom_vector(*parser, body);
    if (samples.size() > opr::tikv::kMaxSeries) __builtin_trap();
  } catch (const opr::tikv::QueryError&) {
  } catch (const opr::tikv::ResponseError&) {
  }
  (void)opr::tikv::parse_sample_value(body);
  return 0;
}
