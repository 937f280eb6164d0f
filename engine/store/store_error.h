#pragma once

#include <string>

#include "engine/core/error.h"

namespace bt::store {

/// A run store that cannot be used as asked: the file is corrupt or belongs to another
/// application, was written by a newer version, lies in a place that cannot be written, is
/// locked by another writer, or a run id is unknown. An InputError (the CLI exits with code 2);
/// where() is the store's file (or the run id for UnknownRun). The store is never modified when
/// this is thrown on opening.
class StoreError : public core::InputError {
public:
    enum class Kind {
        NotADatabase, ///< not an SQLite file at all (or its header is destroyed)
        Corrupt,      ///< an SQLite file of ours whose pages fail the integrity check
        Foreign,      ///< an SQLite file of another application
        NewerSchema,  ///< written by a newer version of Bilevel Tuner
        Unwritable,   ///< the file or its folder cannot be created or written
        Locked,       ///< another process held the write lock longer than the busy timeout
        UnknownRun,   ///< no run with the given id
        RunInUse,     ///< the run is running in a live process (deleting it is refused)
        Failed,       ///< any other failure of the database (I/O error, disk full)
    };

    StoreError(Kind kind, std::string where, const std::string& what)
        : InputError(std::move(where), what), m_kind(kind) {}

    Kind kind() const noexcept { return m_kind; }

private:
    Kind m_kind;
};

} // namespace bt::store
