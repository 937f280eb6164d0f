#include "engine/core/paths.h"

#include <cstdlib>

namespace bt::core {

namespace {

std::filesystem::path envPath(const char* name) {
    const char* value = std::getenv(name);
    return (value != nullptr && *value != '\0') ? std::filesystem::path(value)
                                                : std::filesystem::path();
}

std::filesystem::path home() {
    auto h = envPath("HOME");
    return h.empty() ? std::filesystem::temp_directory_path() : h;
}

// The XDG base-directory rule: the variable if it holds an absolute path, else the fallback.
std::filesystem::path xdg(const char* variable, const std::filesystem::path& fallback) {
    auto p = envPath(variable);
    return (!p.empty() && p.is_absolute()) ? p : home() / fallback;
}

} // namespace

std::filesystem::path dataDir() {
    if (auto p = envPath("BILEVEL_TUNER_DATA_DIR"); !p.empty()) {
        return p;
    }
    return xdg("XDG_DATA_HOME", ".local/share") / "bilevel-tuner";
}

std::filesystem::path stateDir() {
    return xdg("XDG_STATE_HOME", ".local/state") / "bilevel-tuner";
}

} // namespace bt::core
