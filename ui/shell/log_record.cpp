#include "ui/shell/log_record.h"

namespace bt::ui {

QString levelName(spdlog::level::level_enum level) {
    switch (level) {
    case spdlog::level::trace:
        return QStringLiteral("trace");
    case spdlog::level::debug:
        return QStringLiteral("debug");
    case spdlog::level::info:
        return QStringLiteral("info");
    case spdlog::level::warn:
        return QStringLiteral("warning");
    case spdlog::level::err:
        return QStringLiteral("error");
    case spdlog::level::critical:
        return QStringLiteral("critical");
    case spdlog::level::off:
    case spdlog::level::n_levels:
        break;
    }
    return QStringLiteral("off");
}

} // namespace bt::ui
