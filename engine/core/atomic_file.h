#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

namespace bt::core {

/// Writes what `write` puts into the stream to `path` through a temporary file beside it
/// ("<path>.partial"), renamed into place: a failure (a folder that cannot be written, a full
/// disk) leaves no half-written file under `path`, and an existing `path` is replaced whole or
/// not at all. Creates the parent folder when missing.
/// @param what  the file's role in messages: "the result file", "the CSV file"
/// @throws InputError naming the folder or `path`, `what` and the reason
void writeFileAtomically(const std::filesystem::path& path, const std::string& what,
                         const std::function<void(std::ostream&)>& write);

/// writeFileAtomically with `text` as the content.
void writeTextAtomically(const std::filesystem::path& path, const std::string& what,
                         const std::string& text);

} // namespace bt::core
