// bilevel-tuner: the desktop app.
#include <cstdio>
#include <filesystem>
#include <string_view>

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QPalette>
#include <QStyleFactory>
#include <QTimer>

#include <spdlog/spdlog.h>

#include "app/common/app_logging.h"
#include "engine/core/version.h"
#include "engine/store/run_store.h"
#include "engine/train/environment.h"
#include "ui/shell/main_window.h"
#include "ui/session/run_controller.h"
#include "ui/setup/setup_panel.h"
#include "ui/export/view_capture.h"

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
    parser.setApplicationDescription(
        QStringLiteral("Gradient-based bilevel tuning of regularisation hyperparameters"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption quitAfter(
        QStringLiteral("quit-after"),
        QStringLiteral("Close the window after <ms> milliseconds (smoke tests, screenshots)."),
        QStringLiteral("ms"));
    const QCommandLineOption configOption(
        QStringLiteral("config"),
        QStringLiteral("Load the run configuration <file> into the form."), QStringLiteral("file"));
    const QCommandLineOption presetOption(
        QStringLiteral("preset"),
        QStringLiteral("Load the reference task <name> (ridge, mnist-mlp-1k, ...) into the form."),
        QStringLiteral("name"));
    const QCommandLineOption startOption(
        QStringLiteral("start"),
        QStringLiteral("Start the run in the form once the window shows."));
    const QCommandLineOption screenshotsOption(
        QStringLiteral("screenshots"),
        QStringLiteral("Save the window with each view as PNG files in <folder> (after the run, "
                       "with --start), then quit."),
        QStringLiteral("folder"));
    const QCommandLineOption storeOption(
        QStringLiteral("store"),
        QStringLiteral("The run store <file> (default: runs.db in the data folder)."),
        QStringLiteral("file"));
    const QCommandLineOption noStoreOption(
        QStringLiteral("no-store"), QStringLiteral("Keep no record of runs (screenshots, demos)."));
    const QCommandLineOption exportReportOption(
        QStringLiteral("export-report"),
        QStringLiteral("Write the report of the stored run <run-id> to --out (.pdf or .html) "
                       "without a window, then exit."),
        QStringLiteral("run-id"));
    const QCommandLineOption outOption(QStringLiteral("out"),
                                       QStringLiteral("The report file of --export-report."),
                                       QStringLiteral("file"));
    const QCommandLineOption darkOption(
        QStringLiteral("dark"),
        QStringLiteral("A dark palette (Fusion style), whatever the desktop's theme."));
    parser.addOptions({quitAfter, configOption, presetOption, startOption, screenshotsOption,
                       storeOption, noStoreOption, exportReportOption, outOption, darkOption});
    parser.process(app);

    if (parser.isSet(darkOption)) {
        // Before any window: the charts pick their theme from the palette when they are made.
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(45, 45, 48));
        dark.setColor(QPalette::WindowText, QColor(220, 220, 220));
        dark.setColor(QPalette::Base, QColor(30, 30, 32));
        dark.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
        dark.setColor(QPalette::Text, QColor(220, 220, 220));
        dark.setColor(QPalette::Button, QColor(55, 55, 58));
        dark.setColor(QPalette::ButtonText, QColor(220, 220, 220));
        dark.setColor(QPalette::Highlight, QColor(42, 130, 218));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        dark.setColor(QPalette::ToolTipBase, QColor(30, 30, 32));
        dark.setColor(QPalette::ToolTipText, QColor(220, 220, 220));
        dark.setColor(QPalette::PlaceholderText, QColor(140, 140, 140));
        dark.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
        dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
        dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
        QApplication::setPalette(dark);
    }

    const auto log = bt::app::setupLogging("bilevel-tuner", spdlog::level::info);
    const auto env = bt::train::describeEnvironment();
    const auto envText = bt::train::formatEnvironment(env);
    log->info("Bilevel Tuner {} starting (Qt {})", bt::core::kVersion, qVersion());
    log->debug("Environment:\n{}", envText);
    if (!env.openBlas) {
        log->warn("LibTorch is not using OpenBLAS; install libopenblas0-pthread for several "
                  "times faster training");
    }

    bt::ui::MainWindow window(QString::fromStdString(envText),
                              QString::fromStdString(bt::app::logFilePath("bilevel-tuner")));
    const std::filesystem::path storePath =
        parser.isSet(storeOption) ? std::filesystem::path(parser.value(storeOption).toStdString())
                                  : bt::store::RunStore::defaultPath();

    if (parser.isSet(exportReportOption)) {
        const QString runId = parser.value(exportReportOption);
        const QString out = parser.value(outOption);
        if (out.isEmpty()) {
            log->error("--export-report needs --out FILE (.pdf or .html)");
            return kExitBadInput;
        }
        std::error_code ec;
        if (!std::filesystem::exists(storePath, ec)) {
            log->error("no run store at {}", storePath.string());
            return kExitBadInput;
        }
        window.setStorePath(storePath);
        QString error;
        if (!window.openStoredRun(runId, &error)) {
            log->error("run {}: {}", runId.toStdString(), error.toStdString());
            return kExitBadInput;
        }
        window.resize(1400, 900);
        if (!window.exportReport(out, &error)) {
            log->error("{}", error.toStdString());
            return kExitFailed;
        }
        log->info("wrote the report of run {} to {}", runId.toStdString(), out.toStdString());
        return 0;
    }
    if (!parser.isSet(noStoreOption)) {
        window.setStorePath(storePath);
    }
    if (parser.isSet(presetOption) &&
        !window.setupPanel()->loadPreset(parser.value(presetOption))) {
        log->error("--preset: no reference task '{}'; known: {}",
                   parser.value(presetOption).toStdString(),
                   bt::ui::SetupPanel::presetNames().join(QStringLiteral(", ")).toStdString());
        return 2;
    }
    if (parser.isSet(configOption)) {
        QString error;
        const bool shown = window.setupPanel()->loadFile(parser.value(configOption), &error);
        if (!shown) {
            log->error("--config: {}", error.toStdString());
            return 2;
        }
        if (!error.isEmpty()) {
            log->warn("--config: {}", error.toStdString());
        }
    }
    window.show();
    QTimer::singleShot(0, &window,
                       [&] { log->info("window shown {} ms after start", startup.elapsed()); });

    const QString screenshots = parser.value(screenshotsOption);
    if (!screenshots.isEmpty()) {
        auto capture = [&window, &log, screenshots] {
            const auto files = bt::ui::captureViews(window, screenshots);
            log->info("wrote {} screenshots to {}", files.size(), screenshots.toStdString());
            window.close();
        };
        if (parser.isSet(startOption)) {
            QObject::connect(window.controller(), &bt::ui::RunController::runFinished, &window,
                             [capture] { QTimer::singleShot(200, capture); });
        } else {
            QTimer::singleShot(500, &window, capture);
        }
    }
    if (parser.isSet(startOption)) {
        QTimer::singleShot(0, &window, [&window, &log, screenshots] {
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
    if (parser.isSet(quitAfter)) {
        bool ok = false;
        const int ms = parser.value(quitAfter).toInt(&ok);
        if (!ok || ms < 0) {
            log->error("--quit-after expects a non-negative number of milliseconds, got '{}'",
                       parser.value(quitAfter).toStdString());
            return 2;
        }
        QTimer::singleShot(ms, &window, &QWidget::close);
    }
    const int code = QApplication::exec();
    log->info("Bilevel Tuner exiting with code {}", code);
    return code;
}
