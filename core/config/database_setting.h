// The config's `database`: a connection string, or a mapping of one and the
// file that holds its password.
#pragma once

#include <filesystem>
#include <string>

#include "config/yaml_tree.h"

namespace opr::config {

// `database: CONNECTION`, or
//   database:
//     connection: postgresql://operator@db1/operator
//     password_file: /etc/operator/db-password
// where the file's first line is the password (a file of its own, so that
// the config can be shared and the password kept apart, as systemd's
// LoadCredential= or a Kubernetes secret mount hands it over). The
// password joins the connection string as libpq reads it (a URI's
// `password=` query parameter, or a `password=` pair); everything that
// prints the string masks it (common/redaction.h). Relative files resolve
// against `base`. Throws ConfigError.
std::string read_database(const YamlNode& node, const std::filesystem::path& base);

// `connection` with `password` added: percent-encoded into a URI's query,
// or as a quoted key=value pair. Throws std::invalid_argument for a
// connection string that takes no password (SQLite) or a key=value one
// whose password holds a blank (libpq's and SOCI's readings differ).
std::string with_password(const std::string& connection, const std::string& password);

}  // namespace opr::config
