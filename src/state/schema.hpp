// The state database's schema and its migrations. The schema version is PRAGMA user_version:
// migration N takes a database from version N-1 to N, in one transaction with the version bump,
// so a crash mid-migration leaves the previous version intact. A database newer than this
// build knows is refused rather than guessed at.
#pragma once

#include "state/sqlite.hpp"

namespace stork::state {

// The version the newest migration produces.
int latest_schema_version();

// Opens (creating it and .storkit/ if needed) <project_root>/.storkit/state.db and migrates it:
// what every owner of a connection to the state database starts with.
StateResult<Database> open_project_database(const std::filesystem::path& project_root);

// Opens <project_root>/.storkit/state.db read-only, as it is: fails naming the file when there
// is none, or when its schema is not this build's (`stork serve` migrates it).
StateResult<Database> open_project_database_read_only(const std::filesystem::path& project_root);

// Applies the migrations `db` lacks, in order. Fails, changing nothing, when the file's
// version is newer than latest_schema_version().
StateResult<void> migrate(Database& db);

}  // namespace stork::state
