// Reads a pack's descriptor into a PackDeclaration, checking the promises
// plugin.h asks for before the host relies on any of it.
#pragma once

#include <operator/plugin.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "common/pack_declaration.h"

namespace opr::plugins {

// The sizes of the ABI 1.0 structs (LP64), frozen: a pack built against any
// 1.x header declares at least these, and fields of later minors are read
// only when the declared struct_size reaches past them.
inline constexpr uint32_t kDescriptorSize10 = 88;
inline constexpr uint32_t kCheckDefSize10 = 64;
inline constexpr uint32_t kParamDefSize10 = 48;
inline constexpr uint32_t kViolationSize10 = 48;
inline constexpr uint32_t kHttpRequestSize10 = 64;

// The ABI version compatibility rule: nullopt when this host can load a pack
// built for `major`.`minor`, else the reason and the fix.
std::optional<std::string> check_abi_version(uint32_t major, uint32_t minor);

// The pack's declaration, or what is wrong with its descriptor, e.g.
// "check 'lag': parameter 'interval' is named like an engine setting".
// Every struct is read from its frozen 1.0 size up to the size it declares,
// arrays element by element at the size their first element declares.
// Assumes the ABI version was already accepted.
std::variant<PackDeclaration, std::string> read_descriptor(const op_pack_descriptor& descriptor);

// [a-z0-9_]+
bool is_valid_name(const char* name);

// Names the engine uses in a target's or check's config section, which a
// declared parameter must not shadow.
bool is_reserved_param_name(const char* name);

}  // namespace opr::plugins
