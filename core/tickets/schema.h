// The ticket database's schema, versioned and migrated forward on open.
#pragma once

#include <string>

namespace soci {
class session;
}

namespace opr::tickets {

// The highest version in schema_version (0 for an empty database).
int schema_version(soci::session& sql);

// Applies the migrations above the database's version, in one transaction.
// Throws StoreError when the database is newer than `supported`;
// `display` names the database in that message.
void migrate(soci::session& sql, const std::string& display, int supported);

}  // namespace opr::tickets
