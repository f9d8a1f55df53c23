#include "config/database_setting.h"

#include <cctype>
#include <fstream>
#include <stdexcept>

#include "common/percent_encoding.h"
#include "config/value_reading.h"

namespace opr::config {

namespace {

namespace fs = std::filesystem;

fs::path against(const fs::path& base, const std::string& path) {
  const fs::path p(path);
  return p.is_absolute() ? p : (base / p).lexically_normal();
}

// SOCI connection strings are left alone except for a relative SQLite file,
// which would otherwise depend on the folder the host was started from.
std::string resolve_database(const std::string& text, const fs::path& base) {
  const auto is_file = [](const std::string& p) { return !p.empty() && p != ":memory:"; };
  const size_t scheme_end = text.find("://");
  if (scheme_end == std::string::npos) {
    return is_file(text) ? against(base, text).string() : text;
  }
  const std::string scheme = text.substr(0, scheme_end);
  if (scheme != "sqlite3" && scheme != "sqlite") return text;
  const std::string prefix = text.substr(0, scheme_end + 3);
  const std::string rest = text.substr(scheme_end + 3);
  if (rest.find('=') == std::string::npos) {
    return is_file(rest) ? prefix + against(base, rest).string() : text;
  }
  for (const std::string key : {"db=", "dbname="}) {
    size_t at = rest.rfind(key, 0) == 0 ? 0 : rest.find(" " + key);
    if (at == std::string::npos) continue;
    if (at != 0) ++at;
    const size_t start = at + key.size();
    const size_t end = std::min(rest.find(' ', start), rest.size());
    const std::string path = rest.substr(start, end - start);
    if (!is_file(path) || path.front() == '"' || path.front() == '\'') return text;
    return prefix + rest.substr(0, start) + against(base, path).string() + rest.substr(end);
  }
  return text;
}

bool is_postgresql(const std::string& connection) {
  return connection.rfind("postgresql://", 0) == 0 || connection.rfind("postgres://", 0) == 0;
}

// After the scheme, a key and '=' (libpq's key=value form) rather than a URI.
bool is_pairs(const std::string& rest) {
  size_t i = 0;
  while (i < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[i])) || rest[i] == '_'))
    ++i;
  while (i < rest.size() && rest[i] == ' ') ++i;
  return i > 0 && i < rest.size() && rest[i] == '=';
}

// The first line of `file`, without its line break. The message never
// quotes the content.
std::string read_password(const fs::path& file, const Mark& mark) {
  std::ifstream in(file);
  if (!in) fail(mark, "cannot read the database password file " + file.string());
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) fail(mark, "the database password file " + file.string() + " is empty");
  return line;
}

}  // namespace

std::string with_password(const std::string& connection, const std::string& password) {
  if (!is_postgresql(connection)) {
    throw std::invalid_argument("only a postgresql:// connection takes a password_file");
  }
  const std::string rest = connection.substr(connection.find("://") + 3);
  if (!is_pairs(rest)) {
    return connection + (connection.find('?') == std::string::npos ? "?" : "&") +
           "password=" + percent_encode(password);
  }
  std::string quoted;
  for (const char c : password) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      throw std::invalid_argument(
          "a password with blanks needs the URI form of the connection "
          "(postgresql://user@host/db)");
    }
    if (c == '\\' || c == '\'') quoted += '\\';
    quoted += c;
  }
  return connection + " password='" + quoted + "'";
}

std::string read_database(const YamlNode& node, const fs::path& base) {
  if (!node.is_map()) {
    const std::string& text = read_string(node, "'database'");
    if (text.empty()) fail(node.mark, "'database' is empty; remove it or give a connection string");
    return resolve_database(text, base);
  }
  check_keys(node, {"connection", "password_file"}, "in 'database'");
  const YamlNode* connection = node.find("connection");
  if (connection == nullptr) {
    fail(node.mark, "'database' needs 'connection' (e.g. postgresql://operator@db1/operator)");
  }
  const std::string& text = read_string(*connection, "'connection' in 'database'");
  if (text.empty()) fail(connection->mark, "'connection' in 'database' is empty");
  const YamlNode* file = node.find("password_file");
  if (file == nullptr) return resolve_database(text, base);
  const std::string& path = read_string(*file, "'password_file' in 'database'");
  try {
    return with_password(text, read_password(against(base, path), file->mark));
  } catch (const std::invalid_argument& e) {
    fail(file->mark, "'password_file' in 'database': " + std::string(e.what()));
  }
}

}  // namespace opr::config
