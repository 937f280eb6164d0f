#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace bt::store::schema {

// The run store's file format. Identified by SQLite's application_id header field (so that
// `file` and other tools can tell it, and a foreign SQLite file is never mistaken for a store)
// and versioned by user_version; the meta table repeats both in words.

/// "BTrs" in the header's application_id field.
inline constexpr std::int32_t kApplicationId = 0x42547273;

/// One step of the file format: from version toVersion − 1 to toVersion. Runs inside a
/// transaction that also sets user_version, so a step is applied completely or not at all.
struct Migration {
    int toVersion = 0;
    std::string description;
    std::function<void(SQLite::Database&)> apply;
};

/// The steps after version 1, in order (migrations()[i] goes from version i + 1 to i + 2).
/// Empty while version 1 is the latest: to change the format, append a step here, never edit
/// createVersion1 (old files must keep upgrading the same way).
const std::vector<Migration>& migrations();

/// The version this program writes: 1 + migrations().size().
int currentVersion();

/// Creates the version-1 tables in an empty database and stamps its header (application_id,
/// user_version 1) and the meta table. The caller holds a write transaction.
void createVersion1(SQLite::Database& db);

/// Upgrades `db` (file `file`) from version `from` by the steps in `steps` that follow it, each
/// in its own transaction. With `backup`, first saves a copy as `<file>.schema-v<from>.bak`
/// (or .bak.2, .3, ... when that exists) and returns its path.
/// @throws StoreError Failed  naming the step that failed; the file stays at the last version
///         reached (and the backup in place)
std::filesystem::path upgrade(SQLite::Database& db, const std::filesystem::path& file, int from,
                              const std::vector<Migration>& steps, bool backup);

} // namespace bt::store::schema
