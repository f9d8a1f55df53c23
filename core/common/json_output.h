// JSON as operator prints it (`--json`, the JSON log): always valid JSON,
// whatever bytes the values hold.
// - Text that is valid UTF-8 round-trips exactly: control characters are
//   \u escapes (C0 by nlohmann's dump; DEL and C1 by escape_json_controls,
//   so that JSON shown on a terminal carries no raw control character).
// - A byte that is not part of valid UTF-8 cannot be carried by a JSON
//   string: each such byte is written as U+FFFD (nlohmann's `replace`
//   error handler), where text output shows it as \xNN. dump() never throws.
#pragma once

#include <string>

#include "common/terminal_text.h"

namespace opr {

// `json` (nlohmann::json or ordered_json) as text; `indent` as dump's.
template <class BasicJson>
std::string json_output(const BasicJson& json, int indent = -1) {
  std::string text = json.dump(indent, ' ', false, BasicJson::error_handler_t::replace);
  escape_json_controls(text);
  return text;
}

}  // namespace opr
