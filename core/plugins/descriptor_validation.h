// Checks that a pack's descriptor keeps the promises plugin.h asks for,
// before the host reads any of it.
#pragma once

#include <operator/plugin.h>

#include <optional>
#include <string>

namespace opr::plugins {

// The ABI version compatibility rule: nullopt when this host can load a pack
// built for `major`.`minor`, else the reason and the fix.
std::optional<std::string> check_abi_version(uint32_t major, uint32_t minor);

// nullopt when the descriptor is valid; else what is wrong with it, e.g.
// "check 'lag': parameter 'interval' is named like an engine setting".
// Assumes the ABI version was already accepted.
std::optional<std::string> validate_descriptor(const op_pack_descriptor& descriptor);

// [a-z0-9_]+
bool is_valid_name(const char* name);

// Names the engine uses in a target's or check's config section, which a
// declared parameter must not shadow.
bool is_reserved_param_name(const char* name);

}  // namespace opr::plugins
