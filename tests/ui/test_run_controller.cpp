#include <QtTest>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>

#include <thread>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "tiny_ridge_run.h"
#include "ui/session/run_controller.h"
#include "ui/session/run_data.h"

using bt::ui::RunController;

namespace {

template <class T>
std::vector<T> eventsOf(const QSignalSpy& spy) {
    std::vector<T> out;
    for (const auto& args : spy) {
        out.push_back(args.at(0).value<T>());
    }
    return out;
}

} // namespace

class TestRunController : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        bt::testing::writeRidgeFiles(m_dir.path());
    }

    // Every signal of a tiny bilevel run, in order, on the GUI thread.
    void signalFlowOfATinyRun() {
        RunController controller;
        QSignalSpy started(&controller, &RunController::runStarted);
        QSignalSpy events(&controller, &RunController::eventReceived);
        QSignalSpy samples(&controller, &RunController::sampleRecorded);
        QSignalSpy refits(&controller, &RunController::gpRefitted);
        QSignalSpy outers(&controller, &RunController::outerIterationCompleted);
        QSignalSpy methods(&controller, &RunController::methodFinished);
        QSignalSpy progress(&controller, &RunController::progressChanged);
        QSignalSpy errors(&controller, &RunController::errorOccurred);
        QSignalSpy finished(&controller, &RunController::runFinished);
        bool offGuiThread = false;
        connect(&controller, &RunController::eventReceived, this,
                [&] { offGuiThread = offGuiThread || QThread::currentThread() != thread(); });

        const auto config = bt::testing::tinyRidgeConfig(m_dir.path(), {"bilevel"}, 10, 2);
        QVERIFY(controller.start(config));
        QVERIFY(controller.isRunning());
        QCOMPARE(started.count(), 1);
        QVERIFY(!started.at(0).at(0).toString().isEmpty());
        QVERIFY(finished.wait(60000));
        QVERIFY(!controller.isRunning());

        QVERIFY(!offGuiThread);
        QCOMPARE(errors.count(), 0);
        QCOMPARE(finished.count(), 1);
        const auto result = finished.at(0).at(0).value<bt::report::RunResult>();
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("completed"));
        QCOMPARE(QString::fromStdString(result.runId), started.at(0).at(0).toString());

        // 3 design samples, then one φ sample per outer iteration, then at most one
        // confirmation (ALGORITHM.md §3.5), indices in order.
        const auto sampleEvents = eventsOf<bt::events::SampleEvent>(samples);
        QVERIFY(sampleEvents.size() == 5 || sampleEvents.size() == 6);
        for (std::size_t i = 0; i < sampleEvents.size(); ++i) {
            QCOMPARE(sampleEvents[i].index, static_cast<int>(i));
            QCOMPARE(QString::fromStdString(sampleEvents[i].phase),
                     i < 3   ? QStringLiteral("initial-design")
                     : i < 5 ? QStringLiteral("outer-iteration")
                             : QStringLiteral("confirmation"));
        }
        QVERIFY(refits.count() >= 1);
        const auto outerEvents = eventsOf<bt::events::OuterIterationEvent>(outers);
        QCOMPARE(outerEvents.size(), std::size_t{2});
        QCOMPARE(outerEvents[0].iteration, 1);
        QCOMPARE(outerEvents[1].iteration, 2);
        QCOMPARE(methods.count(), 1);

        // The generic signal carries every event; the run's last event is its one FinishedEvent.
        int finishedEvents = 0;
        for (const auto& args : events) {
            finishedEvents += std::holds_alternative<bt::events::FinishedEvent>(
                args.at(0).value<bt::events::Event>());
        }
        QCOMPARE(finishedEvents, 1);
        QVERIFY(std::holds_alternative<bt::events::FinishedEvent>(
            events.last().at(0).value<bt::events::Event>()));

        // Progress grows to 100 % and never goes back.
        QVERIFY(progress.count() >= 2);
        double previous = -1.0;
        for (const auto& args : progress) {
            const auto state = args.at(0).value<bt::ui::RunProgressState>();
            QVERIFY2(state.fraction + 1e-12 >= previous, qPrintable(state.phase));
            previous = state.fraction;
        }
        QCOMPARE(previous, 1.0);
    }

    // Cancel during a long run: runFinished within a second, status cancelled, one end event.
    void cancelStopsWithinASecond() {
        RunController controller;
        QSignalSpy samples(&controller, &RunController::sampleRecorded);
        QSignalSpy events(&controller, &RunController::eventReceived);
        QSignalSpy finished(&controller, &RunController::runFinished);
        // Hundreds of trainings of 200 epochs: minutes if not cancelled.
        auto config = bt::testing::tinyRidgeConfig(m_dir.path(), {"grid", "random"}, 200, 2);
        config.grid.pointsPerDim = 400;
        QVERIFY(controller.start(config));
        QVERIFY(samples.wait(30000));
        QElapsedTimer clock;
        clock.start();
        controller.cancel();
        QVERIFY(controller.cancelRequested());
        QVERIFY(finished.wait(5000));
        const auto elapsed = clock.elapsed();
        QVERIFY2(elapsed < 1000, qPrintable(QStringLiteral("cancel took %1 ms").arg(elapsed)));
        const auto result = finished.at(0).at(0).value<bt::report::RunResult>();
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("cancelled"));
        int finishedEvents = 0;
        for (const auto& args : events) {
            finishedEvents += std::holds_alternative<bt::events::FinishedEvent>(
                args.at(0).value<bt::events::Event>());
        }
        QCOMPARE(finishedEvents, 1);
        // The controller takes the next run.
        QVERIFY(!controller.isRunning());
    }

    // Bad data: an error message naming the file, then exactly one runFinished (failed).
    void errorBeforeTheRunReachesTheErrorSignal() {
        RunController controller;
        QSignalSpy errors(&controller, &RunController::errorOccurred);
        QSignalSpy finished(&controller, &RunController::runFinished);
        auto config = bt::testing::tinyRidgeConfig(m_dir.path(), {"bilevel"});
        config.dataset.trainPath = (m_dir.path() + QStringLiteral("/missing.csv")).toStdString();
        QVERIFY(controller.start(config));
        QVERIFY(finished.wait(30000));
        QCOMPARE(errors.count(), 1);
        QVERIFY2(errors.at(0).at(0).toString().contains(QStringLiteral("missing.csv")),
                 qPrintable(errors.at(0).at(0).toString()));
        QCOMPARE(finished.count(), 1);
        const auto result = finished.at(0).at(0).value<bt::report::RunResult>();
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("failed"));
        // The app keeps going: the same controller runs the next configuration.
        QVERIFY(controller.start(bt::testing::tinyRidgeConfig(m_dir.path(), {"random"}, 5)));
        QVERIFY(finished.wait(30000));
        QCOMPARE(bt::ui::statusText(finished.last().at(0).value<bt::report::RunResult>().status),
                 QStringLiteral("completed"));
    }

    void startWhileRunningIsRefused() {
        RunController controller;
        QSignalSpy finished(&controller, &RunController::runFinished);
        auto config = bt::testing::tinyRidgeConfig(m_dir.path(), {"random"}, 200);
        config.random.trials = 1000;
        QVERIFY(controller.start(config));
        QVERIFY(!controller.start(config));
        controller.cancel();
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.count(), 1);
    }

    // spdlog records from any thread reach logged() on the GUI thread, in order.
    void logRecordsComeThroughTheController() {
        auto logger = std::make_shared<spdlog::logger>(
            "ui-test", std::make_shared<spdlog::sinks::null_sink_mt>());
        logger->set_level(spdlog::level::debug);
        RunController controller;
        controller.attachLogger(logger);
        QSignalSpy logged(&controller, &RunController::logged);
        std::thread worker([&] {
            logger->debug("from a worker {}", 1);
            logger->warn("from a worker {}", 2);
        });
        worker.join();
        QTRY_COMPARE(logged.count(), 2);
        const auto first = logged.at(0).at(0).value<bt::ui::LogRecord>();
        const auto second = logged.at(1).at(0).value<bt::ui::LogRecord>();
        QCOMPARE(first.message, QStringLiteral("from a worker 1"));
        QVERIFY(first.level == spdlog::level::debug);
        QCOMPARE(second.message, QStringLiteral("from a worker 2"));
        QVERIFY(second.level == spdlog::level::warn);
        QCOMPARE(second.logger, QStringLiteral("ui-test"));
        // Trace is below the logger's level: not delivered.
        logger->trace("hidden");
        QTest::qWait(50);
        QCOMPARE(logged.count(), 2);
    }

    // Destroying the controller during a run cancels it and joins the engine thread promptly.
    void destructionDuringARunCancelsAndWaits() {
        auto controller = std::make_unique<RunController>();
        QSignalSpy samples(controller.get(), &RunController::sampleRecorded);
        auto config = bt::testing::tinyRidgeConfig(m_dir.path(), {"random"}, 200);
        config.random.trials = 1000;
        QVERIFY(controller->start(config));
        QVERIFY(samples.wait(30000));
        QElapsedTimer clock;
        clock.start();
        controller.reset();
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestRunController)
#include "test_run_controller.moc"
