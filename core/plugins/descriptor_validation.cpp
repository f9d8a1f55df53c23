#include "plugins/descriptor_validation.h"

#include <cstddef>
#include <set>
#include <string_view>

#include "common/param_value.h"
#include "common/severity.h"

namespace opr::plugins {
namespace {

// The sizes of the ABI 1.0 structs: the smallest a pack may declare.
constexpr uint32_t kMinDescriptorSize = sizeof(op_pack_descriptor);
constexpr uint32_t kMinCheckSize = sizeof(op_check_def);
constexpr uint32_t kMinParamSize = sizeof(op_param_def);

std::string quoted(const char* name) {
  return name == nullptr ? std::string("(null)") : "'" + std::string(name) + "'";
}

std::optional<std::string> validate_params(const op_param_def* params, uint32_t count,
                                           const std::string& where) {
  if (count > 0 && params == nullptr) {
    return where + "param_count is " + std::to_string(count) + " but params is NULL";
  }
  std::set<std::string_view> names;
  for (uint32_t i = 0; i < count; ++i) {
    const op_param_def& p = params[i];
    const std::string at = where + "parameter #" + std::to_string(i) + " " + quoted(p.name);
    if (p.struct_size < kMinParamSize) {
      return at + ": struct_size " + std::to_string(p.struct_size) + " is smaller than ABI 1.0's " +
             std::to_string(kMinParamSize);
    }
    if (!is_valid_name(p.name)) return at + ": name must match [a-z0-9_]+";
    if (is_reserved_param_name(p.name)) {
      return at +
             ": name is taken by an engine setting (enabled, interval, timeout, grace, "
             "severity, name, pack, checks); rename the parameter";
    }
    if (!names.insert(p.name).second) return at + ": name is declared twice";
    if (!is_valid_param_type(p.type)) {
      return at + ": unknown type " + std::to_string(p.type);
    }
    if (p.required != 0 && p.default_value != nullptr) {
      return at + ": a required parameter must not have a default";
    }
    if (p.default_value != nullptr && !parse_param_text(p.type, p.default_value)) {
      return at + ": default \"" + p.default_value + "\" is not a valid " +
             std::string(param_type_name(p.type));
    }
    if (p.doc == nullptr) return at + ": doc is NULL";
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
  static constexpr std::string_view kReserved[] = {"enabled",  "interval", "timeout", "grace",
                                                   "severity", "name",     "pack",    "checks"};
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

std::optional<std::string> validate_descriptor(const op_pack_descriptor& d) {
  if (d.struct_size < kMinDescriptorSize) {
    return "descriptor struct_size " + std::to_string(d.struct_size) +
           " is smaller than ABI 1.0's " + std::to_string(kMinDescriptorSize);
  }
  if (!is_valid_name(d.name)) return "pack name " + quoted(d.name) + " must match [a-z0-9_]+";
  if (d.version == nullptr || *d.version == '\0') return "pack version is empty";
  if (d.description == nullptr) return "pack description is NULL";
  if (d.create == nullptr || d.destroy == nullptr || d.run == nullptr) {
    return "create, destroy and run must all be set";
  }
  if (auto error = validate_params(d.params, d.param_count, "pack ")) return error;
  if (d.check_count == 0 || d.checks == nullptr) return "the pack declares no checks";
  std::set<std::string_view> names;
  for (uint32_t i = 0; i < d.check_count; ++i) {
    const op_check_def& c = d.checks[i];
    const std::string at = "check #" + std::to_string(i) + " " + quoted(c.name);
    if (c.struct_size < kMinCheckSize) {
      return at + ": struct_size " + std::to_string(c.struct_size) + " is smaller than ABI 1.0's " +
             std::to_string(kMinCheckSize);
    }
    if (!is_valid_name(c.name)) return at + ": name must match [a-z0-9_]+";
    if (!names.insert(c.name).second) return at + ": check name is declared twice";
    if (c.description == nullptr) return at + ": description is NULL";
    if (c.default_severity < OP_SEVERITY_INFO || c.default_severity > OP_SEVERITY_CRITICAL) {
      return at + ": default_severity " + std::to_string(c.default_severity) +
             " is not an op_severity";
    }
    if (auto error = validate_params(c.params, c.param_count, "check " + quoted(c.name) + ": ")) {
      return error;
    }
  }
  return std::nullopt;
}

}  // namespace opr::plugins
