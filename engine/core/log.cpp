#include "engine/core/log.h"

#include <spdlog/spdlog.h>

namespace bt::core {

std::shared_ptr<spdlog::logger> engineLogger() {
    if (auto logger = spdlog::get(kEngineLoggerName)) {
        return logger;
    }
    // A sink-less logger: cheap, silent, and thread-safe, so engine code can log unconditionally.
    static const auto silent = std::make_shared<spdlog::logger>(std::string(kEngineLoggerName));
    return silent;
}

} // namespace bt::core
