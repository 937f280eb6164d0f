#pragma once

#include <QMetaType>
#include <QString>

#include <spdlog/common.h>

namespace bt::ui {

/// One spdlog record as the log panel shows it. A plain value: it is made on whichever thread
/// logged and travels to the GUI thread through the RunController.
struct LogRecord {
    spdlog::level::level_enum level = spdlog::level::info;
    QString logger;  ///< the spdlog logger's name ("engine", "app")
    QString message; ///< the formatted payload, without time or level
    qint64 msecsSinceEpoch = 0;
};

/// "debug", "info", "warning", ...: the level as the log panel's filter names it.
QString levelName(spdlog::level::level_enum level);

} // namespace bt::ui

Q_DECLARE_METATYPE(bt::ui::LogRecord)
