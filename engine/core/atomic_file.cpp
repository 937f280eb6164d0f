#include "engine/core/atomic_file.h"

#include <fstream>
#include <system_error>

#include "engine/core/error.h"

namespace bt::core {

void writeFileAtomically(const std::filesystem::path& path, const std::string& what,
                         const std::function<void(std::ostream&)>& write) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (path.has_parent_path()) {
        fs::create_directories(path.parent_path(), ec);
        if (ec) {
            throw InputError(path.parent_path().string(),
                             "cannot create the output folder: " + ec.message());
        }
    }
    const auto temporary = path.string() + ".partial";
    {
        std::ofstream out(temporary, std::ios::trunc);
        if (!out) {
            throw InputError(path.string(), "cannot write " + what + " (is the folder writable?)");
        }
        try {
            write(out);
        } catch (...) {
            out.close();
            fs::remove(temporary, ec);
            throw;
        }
        out.flush();
        if (!out) {
            out.close();
            fs::remove(temporary, ec);
            throw InputError(path.string(), "writing " + what + " failed (disk full?)");
        }
    }
    fs::rename(temporary, path, ec);
    if (ec) {
        const auto reason = ec.message();
        fs::remove(temporary, ec);
        throw InputError(path.string(), "cannot move " + what + " into place: " + reason);
    }
}

void writeTextAtomically(const std::filesystem::path& path, const std::string& what,
                         const std::string& text) {
    writeFileAtomically(path, what, [&](std::ostream& out) { out << text; });
}

} // namespace bt::core
