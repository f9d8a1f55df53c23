// Whether bytes from outside are text a person can read back: UTF-8, no NUL.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace opr {

// The length in bytes (1 to 4) of the well-formed UTF-8 character that
// starts at text[i] (RFC 3629: no overlong forms, no surrogates, nothing
// past U+10FFFF, no sequence cut short), or 0 when the bytes there are not
// one. The one definition of UTF-8 the host uses.
size_t utf8_length_at(std::string_view text, size_t i);

// The offset of the first byte that does not belong to a well-formed UTF-8
// sequence (RFC 3629: no overlong forms, no surrogates, nothing past
// U+10FFFF, no sequence cut short), or nullopt when `text` is all UTF-8.
std::optional<size_t> invalid_utf8_at(std::string_view text);

// Why `text` cannot be kept as text, to follow its name: "has a NUL byte at
// byte 12" or "is not valid UTF-8 (at byte 5)", counting from 0; nullopt
// when it can.
// Other control characters are text: they are escaped when printed.
std::optional<std::string> text_problem(std::string_view text);

}  // namespace opr
