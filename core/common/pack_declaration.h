// What a pack declares about itself (name, checks, parameters, defaults,
// bounds), as owned C++ values. plugins/ reads it out of the pack's
// op_pack_descriptor once, by the struct sizes the pack declares; everything
// else (config validation, `plugins list`, the engine) reads this copy and
// never the pack's structs, so no reader can step through them by the
// host's own layout.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/param_value.h"

namespace opr {

// The range a numeric parameter declares (ABI 1.2); both ends open when
// the pack declared none.
struct ParamBounds {
  std::optional<ParamValue> min;  // of the parameter's type
  std::optional<ParamValue> max;
  bool min_exclusive = false;
  bool max_exclusive = false;

  bool empty() const { return !min && !max; }
  // nullopt when `value` is inside; else what it must be, e.g. "> 0 and < 1".
  std::optional<std::string> violation(const ParamValue& value) const;
  // The range for humans: "> 0 and < 1", ">= 0", "" when unbounded.
  std::string describe() const;
};

struct ParamDeclaration {
  std::string name;
  int32_t type = 0;                          // an op_param_type
  std::optional<std::string> default_value;  // text, as the pack wrote it
  bool required = false;
  std::string doc;
  ParamBounds bounds;
};

struct CheckDeclaration {
  std::string name;
  std::string description;
  int32_t default_severity = 0;                   // an op_severity
  std::chrono::milliseconds default_interval{0};  // 0: the host's default
  std::chrono::milliseconds default_grace{0};
  std::vector<ParamDeclaration> params;
};

struct PackDeclaration {
  std::string name;
  std::string version;
  std::string description;
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
  std::vector<ParamDeclaration> params;  // pack-level
  std::vector<CheckDeclaration> checks;  // index = the check_index runs get

  // The check called `name`, or null.
  const CheckDeclaration* find_check(std::string_view name) const;
};

}  // namespace opr
