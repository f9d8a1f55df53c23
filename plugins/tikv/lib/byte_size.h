// PD's human byte sizes ("878.9GiB", "0B", "1.598TiB") back to bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace opr::tikv {

// Parses a size as PD writes it (docker/go-units BytesSize: binary units,
// four significant digits, no space) and as go-units RAMInBytes reads it:
// a decimal number, an optional space, then an optional unit k/m/g/t/p/e
// (any case), an optional "i" and an optional "b". Units are always powers
// of 1024. Returns nullopt for anything else (negative, empty, overflow).
// PD rounds to four digits, so the result may be off by about 0.05%.
std::optional<uint64_t> parse_byte_size(std::string_view text);

}  // namespace opr::tikv
