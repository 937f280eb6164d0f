// bilevel-tuner: the desktop app.
#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTimer>

#include <spdlog/spdlog.h>

#include "app/common/app_logging.h"
#include "engine/core/version.h"
#include "engine/store/run_store.h"
#include "engine/train/environment.h"
#include "ui/export/view_capture.h"
#include "ui/session/run_controller.h"
#include "ui/setup/setup_panel.h"
#include "ui/shell/dark_theme.h"
#include "ui/shell/main_window.h"

namespace {

// Exit codes of the command-line contract (ARCHITECTURE.md).
constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;

// --export-report, --help and --version need no window: the offscreen platform, unless one was
// asked for. Without a display for a window, a clear message instead of Qt's abort.
// @return false when the app cannot start (the message is printed)
bool chooseHeadlessPlatform(int argc, char** argv) {
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        return true;
    }
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        if (arg.starts_with("--export-report") || arg == "--help" || arg == "-h" ||
            arg == "--help-all" || arg == "--version" || arg == "-v") {
            qputenv("QT_QPA_PLATFORM", "offscreen");
            return true;
        }
    }
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        std::fprintf(stderr,
                     "error: no display to show the window on (DISPLAY and WAYLAND_DISPLAY are "
                     "unset). Run it in a desktop session, under xvfb-run, or use "
                     "bilevel-tuner-cli, the headless twin.\n");
        return false;
    }
    return true;
}

// The app's options after --help and --version, in the order --help lists them: name, value
// name (none for a switch) and description.
struct OptionText {
    const char* name;
    const char* valueName;
    const char* description;
};
constexpr std::array kOptions{
    OptionText{"quit-after", "ms",
               "Close the window after <ms> milliseconds (smoke tests, screenshots)."},
    OptionText{"config", "file", "Load the run configuration <file> into the form."},
    OptionText{"preset", "name",
               "Load the reference task <name> (ridge, mnist-mlp-1k, ...) into the form."},
    OptionText{"start", nullptr, "Start the run in the form once the window shows."},
    OptionText{"screenshots", "folder",
               "Save the window with each view as PNG files in <folder> (after the run, with "
               "--start), then quit."},
    OptionText{"store", "file", "The run store <file> (default: runs.db in the data folder)."},
    OptionText{"no-store", nullptr, "Keep no record of runs (screenshots, demos)."},
    OptionText{"export-report", "run-id",
               "Write the report of the stored run <run-id> to --out (.pdf or .html) without a "
               "window, then exit."},
    OptionText{"out", "file", "The report file of --export-report."},
    OptionText{"dark", nullptr, "A dark palette (Fusion style), whatever the desktop's theme."},
};

// The option `name` (one of kOptions).
QString option(const char* name) {
    return QString::fromLatin1(name);
}

void addOptions(QCommandLineParser& parser) {
    parser.setApplicationDescription(
        QStringLiteral("Gradient-based bilevel tuning of regularisation hyperparameters"));
    parser.addHelpOption();
    parser.addVersionOption();
    QList<QCommandLineOption> options;
    for (const auto& text : kOptions) {
        options << QCommandLineOption(
            QString::fromLatin1(text.name), QString::fromLatin1(text.description),
            text.valueName != nullptr ? QString::fromLatin1(text.valueName) : QString());
    }
    parser.addOptions(options);
}

// --export-report: the stored run's report, written without showing the window.
// @return the exit code
int exportReportHeadless(bt::ui::MainWindow& window, const QCommandLineParser& parser,
                         const std::filesystem::path& storePath, spdlog::logger& log) {
    const QString runId = parser.value(option("export-report"));
    const QString out = parser.value(option("out"));
    if (out.isEmpty()) {
        log.error("--export-report needs --out FILE (.pdf or .html)");
        return kExitBadInput;
    }
    std::error_code ec;
    if (!std::filesystem::exists(storePath, ec)) {
        log.error("no run store at {}", storePath.string());
        return kExitBadInput;
    }
    window.setStorePath(storePath);
    QString error;
    if (!window.openStoredRun(runId, &error)) {
        log.error("run {}: {}", runId.toStdString(), error.toStdString());
        return kExitBadInput;
    }
    window.resize(1400, 900);
    if (!window.exportReport(out, &error)) {
        log.error("{}", error.toStdString());
        return kExitFailed;
    }
    log.info("wrote the report of run {} to {}", runId.toStdString(), out.toStdString());
    return 0;
}

// --preset and --config into the form.
// @return false when either cannot be loaded (the message is logged)
bool loadForm(bt::ui::MainWindow& window, const QCommandLineParser& parser, spdlog::logger& log) {
    if (parser.isSet(option("preset")) &&
        !window.setupPanel()->loadPreset(parser.value(option("preset")))) {
        log.error("--preset: no reference task '{}'; known: {}",
                  parser.value(option("preset")).toStdString(),
                  bt::ui::SetupPanel::presetNames().join(QStringLiteral(", ")).toStdString());
        return false;
    }
    if (parser.isSet(option("config"))) {
        QString error;
        const bool shown = window.setupPanel()->loadFile(parser.value(option("config")), &error);
        if (!shown) {
            log.error("--config: {}", error.toStdString());
            return false;
        }
        if (!error.isEmpty()) {
            log.warn("--config: {}", error.toStdString());
        }
    }
    return true;
}

// --screenshots and --start, once the window shows.
void scheduleScreenshotsAndStart(bt::ui::MainWindow& window, const QCommandLineParser& parser,
                                 const std::shared_ptr<spdlog::logger>& log) {
    const QString screenshots = parser.value(option("screenshots"));
    const bool start = parser.isSet(option("start"));
    if (!screenshots.isEmpty()) {
        auto capture = [&window, log, screenshots] {
            const auto files = bt::ui::captureViews(window, screenshots);
            log->info("wrote {} screenshots to {}", files.size(), screenshots.toStdString());
            window.close();
        };
        if (start) {
            QObject::connect(window.controller(), &bt::ui::RunController::runFinished, &window,
                             [capture] { QTimer::singleShot(200, capture); });
        } else {
            QTimer::singleShot(500, &window, capture);
        }
    }
    if (start) {
        QTimer::singleShot(0, &window, [&window, log, screenshots] {
            if (!window.startRun()) {
                log->error("--start: the configuration in the form cannot run; see the setup "
                           "panel");
                if (!screenshots.isEmpty()) {
                    bt::ui::captureViews(window, screenshots);
                    window.close();
                }
            }
        });
    }
}

// --quit-after: closes the window after the milliseconds given.
// @return false when the value is not a non-negative number (the message is logged)
bool scheduleQuit(bt::ui::MainWindow& window, const QCommandLineParser& parser,
                  spdlog::logger& log) {
    if (!parser.isSet(option("quit-after"))) {
        return true;
    }
    bool ok = false;
    const int ms = parser.value(option("quit-after")).toInt(&ok);
    if (!ok || ms < 0) {
        log.error("--quit-after expects a non-negative number of milliseconds, got '{}'",
                  parser.value(option("quit-after")).toStdString());
        return false;
    }
    QTimer::singleShot(ms, &window, &QWidget::close);
    return true;
}

} // namespace

int main(int argc, char** argv) {
    QElapsedTimer startup;
    startup.start();
    if (!chooseHeadlessPlatform(argc, argv)) {
        return kExitBadInput;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("bilevel-tuner"));
    QApplication::setOrganizationName(QStringLiteral("bilevel-tuner"));
    QApplication::setApplicationDisplayName(QStringLiteral("Bilevel Tuner"));
    QApplication::setApplicationVersion(QString::fromLatin1(bt::core::kVersion));

    QCommandLineParser parser;
    addOptions(parser);
    parser.process(app);
    if (parser.isSet(option("dark"))) {
        bt::ui::useDarkTheme();
    }

    const auto log = bt::app::setupLogging("bilevel-tuner", spdlog::level::info);
    const auto env = bt::train::describeEnvironment();
    const auto envText = bt::train::formatEnvironment(env);
    log->info("Bilevel Tuner {} starting (Qt {})", bt::core::kVersion, qVersion());
    log->debug("Environment:\n{}", envText);
    if (const auto advice = bt::train::blasAdvice(env); !advice.empty()) {
        log->warn("{}", advice);
    }

    bt::ui::MainWindow window(QString::fromStdString(envText),
                              QString::fromStdString(bt::app::logFilePath("bilevel-tuner")));
    const std::filesystem::path storePath =
        parser.isSet(option("store"))
            ? std::filesystem::path(parser.value(option("store")).toStdString())
            : bt::store::RunStore::defaultPath();

    if (parser.isSet(option("export-report"))) {
        return exportReportHeadless(window, parser, storePath, *log);
    }
    if (!parser.isSet(option("no-store"))) {
        window.setStorePath(storePath);
    }
    if (!loadForm(window, parser, *log)) {
        return kExitBadInput;
    }
    window.show();
    QTimer::singleShot(0, &window,
                       [&] { log->info("window shown {} ms after start", startup.elapsed()); });
    scheduleScreenshotsAndStart(window, parser, log);
    if (parser.value(option("screenshots")).isEmpty()) {
        // How long each preset takes here, measured in the background after the window shows.
        QTimer::singleShot(2000, &window, [&window] { window.measurePresetTimes(); });
    }
    if (!scheduleQuit(window, parser, *log)) {
        return kExitBadInput;
    }
    const int code = QApplication::exec();
    log->info("Bilevel Tuner exiting with code {}", code);
    return code;
}
