// What the host never shows: values of secret-named parameters, and the
// passwords of database connection strings, wherever they appear (including
// errors a database library writes about them).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opr {

// What a hidden value shows as.
inline constexpr std::string_view kMasked = "***";

// True for names whose values are never logged or printed, whatever their
// type: names containing "password", "passwd", "token" or "secret" (any
// case), and the short forms connection strings use, "pwd" and "pass".
bool is_secret_name(std::string_view name);

// `text` with every password in it shown as "***", so that a connection
// string, or a message that quotes one, can be printed:
// - the password of a URL, `scheme://user:PASSWORD@host` (the user stays);
// - the value of every secret-named key written `key=value`, as libpq,
//   SOCI, ODBC and URL queries write them (`password=x`, `password = 'a b'`,
//   `PWD=x;`, `?password=x&`): quoted with ' or ", or bare up to a blank,
//   '&' or ';' (an unclosed quote hides the rest of the text);
// - every occurrence of each of `secrets`, anywhere: a library may quote a
//   piece of a connection string in its own words (libpq's "invalid
//   percent-encoded token: ..."), where no key or URL shape says what it is.
// Pass connection_secrets(connection) as `secrets` for any message built
// from or returned by a connection to `connection`. Masking twice changes
// nothing more.
std::string mask_passwords(std::string_view text, const std::vector<std::string>& secrets = {});

// The passwords `connection` (a connection string, in URL or key=value
// form) holds, as written and as the library reads them (unquoted,
// unescaped, percent-decoded): the `secrets` for mask_passwords.
std::vector<std::string> connection_secrets(std::string_view connection);

}  // namespace opr
