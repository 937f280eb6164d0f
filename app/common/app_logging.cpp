#include "app/common/app_logging.h"

#include <system_error>
#include <vector>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "engine/core/log.h"
#include "engine/core/paths.h"

namespace bt::app {

std::filesystem::path logFilePath(const std::string& program) {
    return core::stateDir() / "logs" / (program + ".log");
}

std::shared_ptr<spdlog::logger> setupLogging(const std::string& program,
                                             spdlog::level::level_enum consoleLevel) {
    // _mt sinks: the engine logs from its own thread while the main thread logs too.
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_level(consoleLevel);
    console->set_pattern("%^[%l]%$ %v");
    std::vector<spdlog::sink_ptr> sinks{console};

    std::string fileProblem;
    const auto file = logFilePath(program);
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
        fileProblem =
            "cannot create log folder " + file.parent_path().string() + ": " + ec.message();
    } else {
        try {
            auto rotating = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                file.string(), 5 * 1024 * 1024, 3);
            rotating->set_level(spdlog::level::debug);
            rotating->set_pattern("%Y-%m-%d %H:%M:%S.%e [%n] [%l] [thread %t] %v");
            sinks.push_back(std::move(rotating));
        } catch (const spdlog::spdlog_ex& e) {
            fileProblem = "cannot open log file " + file.string() + ": " + e.what();
        }
    }

    spdlog::drop("app");
    spdlog::drop(core::kEngineLoggerName);
    auto app = std::make_shared<spdlog::logger>("app", sinks.begin(), sinks.end());
    auto engine =
        std::make_shared<spdlog::logger>(core::kEngineLoggerName, sinks.begin(), sinks.end());
    for (const auto& logger : {app, engine}) {
        logger->set_level(std::min(consoleLevel, spdlog::level::debug));
        logger->flush_on(spdlog::level::warn);
        spdlog::register_logger(logger);
    }
    if (!fileProblem.empty()) {
        app->warn("{}; logging to the console only", fileProblem);
    }
    return app;
}

} // namespace bt::app
