#include "plugins/descriptor_validation.h"

#include <cmath>
#include <cstddef>
#include <set>
#include <string_view>

#include "common/param_value.h"
#include "common/redaction.h"
#include "common/severity.h"

namespace opr::plugins {
namespace {

// The frozen sizes are 1.0's layout on LP64 (the only targets we build for):
// fields added later start exactly where 1.0's struct ended.
static_assert(sizeof(void*) == 8, "the frozen ABI 1.0 sizes are those of LP64 targets");
static_assert(sizeof(op_pack_descriptor) == kDescriptorSize10);
static_assert(sizeof(op_check_def) == kCheckDefSize10);
static_assert(offsetof(op_param_def, min_value) == kParamDefSize10);
static_assert(sizeof(op_violation) == kViolationSize10);
static_assert(sizeof(op_http_request) == kHttpRequestSize10);

std::string quoted(const char* name) {
  return name == nullptr ? std::string("(null)") : "'" + std::string(name) + "'";
}

std::string text(const char* s) { return s != nullptr ? s : ""; }

// True when a struct of `declared` bytes holds the field at [offset, offset + size).
constexpr bool reaches(uint32_t declared, size_t offset, size_t size) {
  return declared >= offset + size;
}

// Element `i` of a pack's array whose elements are `stride` bytes apart.
template <typename T>
const T& element(const T* array, uint32_t stride, uint32_t i) {
  return *reinterpret_cast<const T*>(reinterpret_cast<const char*>(array) +
                                     static_cast<size_t>(stride) * i);
}

// The stride of an array of `count` structs T whose first element declares
// its size: at least `min_size` (1.0's) and a multiple of T's alignment.
std::optional<std::string> check_stride(uint32_t stride, uint32_t min_size, size_t alignment,
                                        const char* type, const std::string& where) {
  if (stride < min_size) {
    return where + type + " struct_size " + std::to_string(stride) + " is smaller than ABI 1.0's " +
           std::to_string(min_size);
  }
  if (stride % alignment != 0) {
    return where + type + " struct_size " + std::to_string(stride) + " is not a multiple of " +
           std::to_string(alignment) + ", so array elements cannot be " + std::to_string(stride) +
           " bytes apart";
  }
  return std::nullopt;
}

std::optional<std::string> read_bound(const char* text_value, int32_t type, const char* side,
                                      std::optional<ParamValue>& out) {
  if (text_value == nullptr) return std::nullopt;
  out = parse_param_text(type, text_value);
  if (!out) {
    return std::string(side) + " \"" + text_value + "\" is not a valid " +
           std::string(param_type_name(type));
  }
  if (const auto* number = std::get_if<double>(&*out); number && !std::isfinite(*number)) {
    return std::string(side) + " \"" + text_value + "\" is not a finite number";
  }
  return std::nullopt;
}

std::optional<std::string> read_bounds(const op_param_def& p, ParamBounds& bounds) {
  if (!reaches(p.struct_size, offsetof(op_param_def, bounds), sizeof p.bounds)) {
    return std::nullopt;  // built before 1.2: no bounds
  }
  const bool numeric =
      p.type == OP_PARAM_INT || p.type == OP_PARAM_FLOAT || p.type == OP_PARAM_DURATION;
  if (!numeric && (p.min_value != nullptr || p.max_value != nullptr)) {
    return "only int, float and duration parameters may have bounds";
  }
  if ((p.bounds & ~(OP_PARAM_MIN_EXCLUSIVE | OP_PARAM_MAX_EXCLUSIVE)) != 0) {
    return "bounds has unknown flags " + std::to_string(p.bounds);
  }
  if (auto error = read_bound(p.min_value, p.type, "min_value", bounds.min)) return error;
  if (auto error = read_bound(p.max_value, p.type, "max_value", bounds.max)) return error;
  bounds.min_exclusive = (p.bounds & OP_PARAM_MIN_EXCLUSIVE) != 0;
  bounds.max_exclusive = (p.bounds & OP_PARAM_MAX_EXCLUSIVE) != 0;
  if (bounds.min && bounds.max) {
    const ParamBounds up_to_max{std::nullopt, bounds.max, false, false};
    const bool empty_range =
        up_to_max.violation(*bounds.min).has_value() ||
        (*bounds.min == *bounds.max && (bounds.min_exclusive || bounds.max_exclusive));
    if (empty_range) return "no value is inside the bounds (" + bounds.describe() + ")";
  }
  return std::nullopt;
}

std::optional<std::string> read_params(const op_param_def* params, uint32_t count,
                                       const std::string& where,
                                       std::vector<ParamDeclaration>& out) {
  if (count == 0) return std::nullopt;
  if (params == nullptr) {
    return where + "param_count is " + std::to_string(count) + " but params is NULL";
  }
  const uint32_t stride = params[0].struct_size;
  if (auto error = check_stride(stride, kParamDefSize10, alignof(op_param_def), "op_param_def",
                                where + "parameter #0: ")) {
    return error;
  }
  std::set<std::string_view> names;
  for (uint32_t i = 0; i < count; ++i) {
    const op_param_def& p = element(params, stride, i);
    const std::string at = where + "parameter #" + std::to_string(i) + " " + quoted(p.name);
    if (p.struct_size != stride) {
      return at + ": struct_size " + std::to_string(p.struct_size) +
             " differs from the array's element size " + std::to_string(stride) +
             " (params[0].struct_size)";
    }
    if (!is_valid_name(p.name)) return at + ": name must match [a-z0-9_]+";
    if (is_reserved_param_name(p.name)) {
      return at +
             ": name is taken by an engine setting (enabled, interval, timeout, grace, "
             "severity, failed_severity, name, pack, checks, isolation, runner_memory_mb, "
             "runner_open_files); rename the parameter";
    }
    if (!names.insert(p.name).second) return at + ": name is declared twice";
    if (!is_valid_param_type(p.type)) return at + ": unknown type " + std::to_string(p.type);
    if (p.required != 0 && p.default_value != nullptr) {
      return at + ": a required parameter must not have a default";
    }
    if (p.doc == nullptr) return at + ": doc is NULL";
    ParamDeclaration declaration;
    declaration.name = p.name;
    declaration.type = p.type;
    declaration.required = p.required != 0;
    declaration.doc = p.doc;
    if (auto error = read_bounds(p, declaration.bounds)) return at + ": " + *error;
    if (p.default_value != nullptr) {
      // A secret-named parameter's default is not quoted, as no value of it is.
      const std::string shown_default =
          is_secret_name(p.name) ? "" : std::string(" \"") + p.default_value + "\"";
      const auto value = parse_param_text(p.type, p.default_value);
      if (!value) {
        return at + ": default" + shown_default + " is not a valid " +
               std::string(param_type_name(p.type));
      }
      if (auto outside = declaration.bounds.violation(*value)) {
        return at + ": default" + shown_default + " is outside its bounds (" + *outside + ")";
      }
      declaration.default_value = p.default_value;
    }
    out.push_back(std::move(declaration));
  }
  return std::nullopt;
}

std::optional<std::string> read_checks(const op_pack_descriptor& d,
                                       std::vector<CheckDeclaration>& out) {
  if (d.check_count == 0 || d.checks == nullptr) return "the pack declares no checks";
  const uint32_t stride = d.checks[0].struct_size;
  if (auto error = check_stride(stride, kCheckDefSize10, alignof(op_check_def), "op_check_def",
                                "check #0: ")) {
    return error;
  }
  std::set<std::string_view> names;
  for (uint32_t i = 0; i < d.check_count; ++i) {
    const op_check_def& c = element(d.checks, stride, i);
    const std::string at = "check #" + std::to_string(i) + " " + quoted(c.name);
    if (c.struct_size != stride) {
      return at + ": struct_size " + std::to_string(c.struct_size) +
             " differs from the array's element size " + std::to_string(stride) +
             " (checks[0].struct_size)";
    }
    if (!is_valid_name(c.name)) return at + ": name must match [a-z0-9_]+";
    if (!names.insert(c.name).second) return at + ": check name is declared twice";
    if (c.description == nullptr) return at + ": description is NULL";
    if (!severity_from_abi(c.default_severity)) {
      return at + ": default_severity " + std::to_string(c.default_severity) +
             " is not an op_severity";
    }
    CheckDeclaration check;
    check.name = c.name;
    check.description = c.description;
    check.default_severity = c.default_severity;
    check.default_interval = std::chrono::milliseconds(static_cast<int64_t>(c.default_interval_ms));
    check.default_grace = std::chrono::milliseconds(static_cast<int64_t>(c.default_grace_ms));
    if (auto error =
            read_params(c.params, c.param_count, "check " + quoted(c.name) + ": ", check.params)) {
      return error;
    }
    out.push_back(std::move(check));
  }
  return std::nullopt;
}

}  // namespace

bool is_valid_name(const char* name) {
  if (name == nullptr || *name == '\0') return false;
  for (const char* c = name; *c != '\0'; ++c) {
    if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')) return false;
  }
  return true;
}

bool is_reserved_param_name(const char* name) {
  static constexpr std::string_view kReserved[] = {
      "enabled", "interval", "timeout", "grace",     "severity",         "failed_severity",
      "name",    "pack",     "checks",  "isolation", "runner_memory_mb", "runner_open_files"};
  if (name == nullptr) return false;
  for (auto reserved : kReserved) {
    if (reserved == name) return true;
  }
  return false;
}

std::optional<std::string> check_abi_version(uint32_t major, uint32_t minor) {
  const std::string pack = std::to_string(major) + "." + std::to_string(minor);
  const std::string host = std::to_string(OP_ABI_MAJOR) + "." + std::to_string(OP_ABI_MINOR);
  const std::string sdk =
      "SDK " + std::to_string(OP_ABI_MAJOR) + "." + std::to_string(OP_ABI_MINOR);
  if (major != OP_ABI_MAJOR) {
    return "pack ABI " + pack + " is incompatible with this host's " + host +
           " (the major versions differ); rebuild the pack against " + sdk +
           " or use an operator-host of ABI " + std::to_string(major) + ".x";
  }
  if (minor > OP_ABI_MINOR) {
    return "pack ABI " + pack + " is newer than this host's " + host +
           "; rebuild the pack against " + sdk + " or upgrade operator-host";
  }
  return std::nullopt;
}

std::variant<PackDeclaration, std::string> read_descriptor(const op_pack_descriptor& d) {
  if (d.struct_size < kDescriptorSize10) {
    return "op_pack_descriptor struct_size " + std::to_string(d.struct_size) +
           " is smaller than ABI 1.0's " + std::to_string(kDescriptorSize10);
  }
  if (!is_valid_name(d.name)) return "pack name " + quoted(d.name) + " must match [a-z0-9_]+";
  if (d.version == nullptr || *d.version == '\0') return "pack version is empty";
  if (d.description == nullptr) return "pack description is NULL";
  if (d.create == nullptr || d.destroy == nullptr || d.run == nullptr) {
    return "create, destroy and run must all be set";
  }
  PackDeclaration pack;
  pack.name = d.name;
  pack.version = d.version;
  pack.description = text(d.description);
  pack.abi_major = d.abi_major;
  pack.abi_minor = d.abi_minor;
  if (auto error = read_params(d.params, d.param_count, "pack ", pack.params)) return *error;
  if (auto error = read_checks(d, pack.checks)) return *error;
  return pack;
}

}  // namespace opr::plugins
