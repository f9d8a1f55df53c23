// Pack declarations made in a test, with no pack loaded: for the config
// reader's tests and the config fuzz target (which links no GoogleTest, so
// this header needs nothing but opr_common).
#pragma once

#include <operator/plugin.h>

#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

#include "common/pack_declaration.h"
#include "common/param_value.h"

namespace opr::test {

inline ParamDeclaration declared_param(const char* name, op_param_type type,
                                       const char* default_value, bool required = false,
                                       const char* doc = "") {
  ParamDeclaration p;
  p.name = name;
  p.type = type;
  if (default_value != nullptr) p.default_value = default_value;
  p.required = required;
  p.doc = doc;
  return p;
}

// `p` with a range; a null end is open.
inline ParamDeclaration bounded(ParamDeclaration p, const char* min, bool min_exclusive,
                                const char* max, bool max_exclusive = false) {
  if (min != nullptr) p.bounds.min = parse_param_text(p.type, min);
  if (max != nullptr) p.bounds.max = parse_param_text(p.type, max);
  p.bounds.min_exclusive = min_exclusive;
  p.bounds.max_exclusive = max_exclusive;
  return p;
}

inline CheckDeclaration declared_check(const char* name, op_severity severity, int64_t interval_ms,
                                       int64_t grace_ms, std::vector<ParamDeclaration> params) {
  CheckDeclaration c;
  c.name = name;
  c.default_severity = severity;
  c.default_interval = std::chrono::milliseconds(interval_ms);
  c.default_grace = std::chrono::milliseconds(grace_ms);
  c.params = std::move(params);
  return c;
}

inline PackDeclaration declared_pack(const char* name, std::vector<ParamDeclaration> params,
                                     std::vector<CheckDeclaration> checks) {
  PackDeclaration pack;
  pack.name = name;
  pack.version = "1.0.0";
  pack.abi_major = OP_ABI_MAJOR;
  pack.abi_minor = OP_ABI_MINOR;
  pack.params = std::move(params);
  pack.checks = std::move(checks);
  return pack;
}

// Every parameter type, required parameters, bounds and a pack default
// interval: pack params root (string, required), tags (string-list "a,b"),
// api_token (string); checks fresh (warning, interval 15s; path required,
// max_age 1h (> 0s), strict false, weight 0.5 (0 to 10), retries 3 (<= 100))
// and exists (info, grace 5s).
inline PackDeclaration files_pack_declaration() {
  return declared_pack(
      "files",
      {declared_param("root", OP_PARAM_STRING, nullptr, true, "the folder every path is under"),
       declared_param("tags", OP_PARAM_STRING_LIST, "a,b"),
       declared_param("api_token", OP_PARAM_STRING, nullptr)},
      {declared_check(
           "fresh", OP_SEVERITY_WARNING, 15'000, 0,
           {declared_param("path", OP_PARAM_STRING, nullptr, true, "the file to watch"),
            bounded(declared_param("max_age", OP_PARAM_DURATION, "1h"), "0s", true, nullptr),
            declared_param("strict", OP_PARAM_BOOL, "false"),
            bounded(declared_param("weight", OP_PARAM_FLOAT, "0.5"), "0", false, "10"),
            bounded(declared_param("retries", OP_PARAM_INT, "3"), nullptr, false, "100")}),
       declared_check("exists", OP_SEVERITY_INFO, 0, 5'000, {})});
}

}  // namespace opr::test
