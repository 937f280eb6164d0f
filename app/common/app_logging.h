#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <spdlog/common.h>
#include <spdlog/logger.h>

namespace bt::app {

/// Sets up logging for one executable: a console sink on stderr at `consoleLevel` and a rotating
/// file `<stateDir>/logs/<program>.log` (debug and above, 3 files of 5 MiB). Registers the
/// loggers "app" and core::kEngineLoggerName on the same thread-safe sinks and returns "app".
/// When the log folder cannot be created the file sink is left out and a warning says why.
std::shared_ptr<spdlog::logger> setupLogging(const std::string& program,
                                             spdlog::level::level_enum consoleLevel);

/// Where setupLogging writes its file, for `--help` texts and the About box.
std::filesystem::path logFilePath(const std::string& program);

} // namespace bt::app
