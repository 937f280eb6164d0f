// bilevel-tuner: the desktop app.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <spdlog/spdlog.h>

#include "app/app_logging.h"
#include "engine/core/version.h"
#include "engine/train/environment.h"
#include "ui/main_window.h"

int main(int argc, char** argv) {
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
    parser.addOption(quitAfter);
    parser.process(app);

    const auto log = bt::app::setupLogging("bilevel-tuner", spdlog::level::info);
    const auto env = bt::train::describeEnvironment();
    const auto envText = bt::train::formatEnvironment(env);
    log->info("Bilevel Tuner {} starting (Qt {})", bt::core::kVersion, qVersion());
    log->info("Environment:\n{}", envText);
    if (!env.openBlas) {
        log->warn("LibTorch is not using OpenBLAS; install libopenblas0-pthread for several "
                  "times faster training");
    }

    bt::ui::MainWindow window(QString::fromStdString(envText),
                              QString::fromStdString(bt::app::logFilePath("bilevel-tuner")));
    window.show();
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
