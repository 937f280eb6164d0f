#include <QtTest>

#include <nlohmann/json.hpp>

#include <QAbstractButton>
#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QProcess>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>

#include "engine/config/run_config_json.h"
#include "engine/report/result_json.h"
#include "engine/store/run_store.h"
#include "qt_test_support.h"
#include "tests/support/text_files.h"
#include "tiny_ridge_run.h"
#include "ui/charts/comparison_chart.h"
#include "ui/charts/live_charts.h"
#include "ui/export/model_export.h"
#include "ui/export/report_writer.h"
#include "ui/history/run_comparison_dialog.h"
#include "ui/history/run_history_panel.h"
#include "ui/session/run_controller.h"
#include "ui/session/run_progress_bar.h"
#include "ui/session/stored_run.h"
#include "ui/setup/setup_panel.h"
#include "ui/shell/main_window.h"

using bt::ui::RunController;

class TestRunHistory : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        bt::testing::isolateSettings(m_dir.filePath(QStringLiteral("data")));
        bt::testing::writeRidgeFiles(m_dir.path());
        m_store = m_dir.filePath(QStringLiteral("runs.db")).toStdString();
    }

    // A run of the window is recorded; reopened from the store it draws what it drew live.
    void aRunIsRecordedAndReopens() {
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.1"), QStringLiteral("log"));
        window.setStorePath(m_store);
        QSignalSpy finished(window.controller(), &RunController::runFinished);
        window.setupPanel()->setConfig(
            bt::testing::tinyRidgeConfig(m_dir.path(), {"bilevel", "random"}, 10, 2));
        QVERIFY(window.startRun());
        QVERIFY(finished.wait(60000));
        const auto result = finished.at(0).at(0).value<bt::report::RunResult>();
        QCOMPARE(QString::fromLatin1(bt::events::toString(result.status)),
                 QStringLiteral("completed"));
        m_completedRun = QString::fromStdString(result.runId);

        // Stored: completed, with its events, and result.json in the run's folder.
        bt::store::RunStore store(m_store);
        const auto info = store.run(result.runId);
        QVERIFY(info.status == bt::events::RunStatus::Completed);
        QVERIFY(!store.events(result.runId).empty());
        QVERIFY(QFile::exists(QString::fromStdString((info.outDir / "result.json").string())));
        // The charts' data know the run's name as stored (the report's title names it).
        QVERIFY(!info.name.empty());
        QCOMPARE(window.charts()->data().name(), info.name);

        // Listed in the Runs view.
        auto* table = window.historyPanel()->table();
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->item(0, 0)->text(), m_completedRun);
        QCOMPARE(table->item(0, 2)->text(), QStringLiteral("completed"));
        QCOMPARE(table->item(0, bt::testing::columnTitled(table, "Task"))->text(),
                 QStringLiteral("linear on csv train.csv (regression)"));
        QVERIFY2(
            table->item(0, bt::testing::columnTitled(table, "Recommended model"))
                ->text()
                .startsWith(QStringLiteral("test loss ")),
            qPrintable(
                table->item(0, bt::testing::columnTitled(table, "Recommended model"))->text()));

        const auto liveSamples = window.charts()->data().method("bilevel")->samples.size();
        const auto liveCurve = window.charts()->comparison()->curvePoints("random");
        QString error;
        QVERIFY(!window.progressBar()->isHidden()); // the run's end, beside its message
        QVERIFY2(window.openStoredRun(m_completedRun, &error), qPrintable(error));
        // A stored run has no progress: the bar goes, and the message says what is shown.
        QVERIFY(window.progressBar()->isHidden());
        QCOMPARE(window.statusBar()->currentMessage(),
                 QStringLiteral("Showing run %1 (completed)").arg(m_completedRun));
        QCOMPARE(window.windowTitle(), QStringLiteral("%1 (%2) · Bilevel Tuner")
                                           .arg(QString::fromStdString(info.name), m_completedRun));
        const auto& data = window.charts()->data();
        QCOMPARE(QString::fromStdString(data.runId()), m_completedRun);
        QCOMPARE(data.method("bilevel")->samples.size(), liveSamples);
        QCOMPARE(data.outerIterations().size(), std::size_t{2});
        QVERIFY(!data.surrogateFits().empty());
        QCOMPARE(window.charts()->comparison()->curvePoints("random"), liveCurve);
        QVERIFY(data.method("random")->result.has_value());
        QVERIFY(data.method("random")->result->refitMetrics.has_value());

        // Its tuned models are kept: File ▸ Export model writes one with its sidecar.
        const QString model = m_dir.filePath(QStringLiteral("random.pt"));
        QVERIFY2(window.exportModel("random", "refit", model, &error), qPrintable(error));
        QVERIFY(QFileInfo(model).size() > 0);
        QFile sidecarFile(m_dir.filePath(QStringLiteral("random.json")));
        QVERIFY(sidecarFile.open(QIODevice::ReadOnly));
        const auto sidecar = nlohmann::json::parse(sidecarFile.readAll().toStdString());
        QCOMPARE(sidecar.at("run_id").get<std::string>(), result.runId);
        QCOMPARE(sidecar.at("lambda").get<std::vector<double>>(),
                 data.method("random")->result->lambda);
        QVERIFY(window.exportModel("bilevel", "retrained", m_dir.filePath("b.pt"), &error));
        QVERIFY(!window.exportModel("random", "retrained", m_dir.filePath("r.pt"), &error));
        QVERIFY2(error.contains("no retrained model of random"), qPrintable(error));
        QVERIFY(!window.exportModel("random", "refit", m_dir.filePath("no/such/m.pt"), &error));
        QVERIFY2(error.contains("no such folder"), qPrintable(error));

        // File ▸ Export model offers the run's recommended model first, its label saying so.
        const auto recommended = data.recommendation();
        QVERIFY(recommended && recommended->refit);
        const auto& name = data.methods()[recommended->index].method;
        const auto folder =
            bt::ui::keptModelFolder(window.controller()->store().get(), result.runId, &error);
        const std::vector<std::string> methods{"bilevel", "random"};
        const auto plain = bt::ui::keptChoices(folder, methods);
        const auto offered = bt::ui::keptChoices(folder, methods, name, true);
        QCOMPARE(offered.size(), plain.size());
        QCOMPARE(offered.front().method, QString::fromStdString(name));
        QCOMPARE(offered.front().which, QStringLiteral("refit"));
        QCOMPARE(offered.front().label,
                 QString::fromStdString(name) +
                     QStringLiteral(": λ* refit on training ∪ validation (recommended)"));
        QCOMPARE(std::count_if(offered.begin(), offered.end(),
                               [](const auto& c) { return c.label.endsWith("(recommended)"); }),
                 1);
        QCOMPARE(plain.front().method, QStringLiteral("bilevel")); // else in the run's order
    }

    // Use settings: a stored run's configuration fills the form, named after the run, and the
    // preset the form held before is no longer shown as its source.
    void aRunsSettingsFillTheForm() {
        QVERIFY(!m_completedRun.isEmpty());
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.1"), QStringLiteral("log"));
        window.setStorePath(m_store);
        auto* form = window.setupPanel();
        QVERIFY(form->loadPreset(QStringLiteral("ridge")));
        auto* presets = form->findChild<QComboBox*>(QStringLiteral("presetCombo"));
        QCOMPARE(presets->currentData().toString(), QStringLiteral("ridge"));
        QCOMPARE(form->fieldText(QStringLiteral("methods")),
                 QStringLiteral("bilevel, grid, random, bayesian, hyperband"));

        auto* panel = window.historyPanel();
        auto* button = panel->findChild<QAbstractButton*>(QStringLiteral("useSettings"));
        QVERIFY(button != nullptr);
        panel->table()->clearSelection();
        QVERIFY(!button->isEnabled());
        const auto rows = panel->table()->findItems(m_completedRun, Qt::MatchExactly);
        QCOMPARE(rows.size(), 1);
        panel->table()->selectRow(rows.front()->row());
        QVERIFY(button->isEnabled());
        button->click();

        bt::store::RunStore store(m_store);
        const auto info = store.run(m_completedRun.toStdString());
        QVERIFY(form->config().has_value());
        QVERIFY(*form->config() == bt::config::parseRunConfig(info.config, "the stored run"));
        QCOMPARE(form->fieldText(QStringLiteral("methods")), QStringLiteral("bilevel, random"));
        QCOMPARE(presets->currentIndex(), 0);
        QCOMPARE(form->configName(),
                 QString::fromStdString(info.name.empty() ? info.id : info.name));

        // A run that is not in the store: a message naming it, the form as it was.
        QString error;
        QVERIFY(!window.useRunSettings(QStringLiteral("no-such-run"), &error));
        QVERIFY2(error.contains(QStringLiteral("no-such-run")), qPrintable(error));
        QCOMPARE(form->fieldText(QStringLiteral("methods")), QStringLiteral("bilevel, random"));
    }

    // Cancel, then resume: the committed trainings are replayed and the run completes.
    void aCancelledRunResumes() {
        RunController controller;
        controller.setStorePath(m_store);
        QSignalSpy samples(&controller, &RunController::sampleRecorded);
        QSignalSpy finished(&controller, &RunController::runFinished);
        auto config = bt::testing::tinyRidgeConfig(m_dir.path(), {"random"}, 150);
        config.random.trials = 12;
        QVERIFY(controller.start(config, QStringLiteral("to resume")));
        QTRY_VERIFY_WITH_TIMEOUT(samples.count() >= 2, 30000);
        controller.cancel();
        QVERIFY(finished.wait(5000));
        const auto cancelled = finished.at(0).at(0).value<bt::report::RunResult>();
        QCOMPARE(QString::fromLatin1(bt::events::toString(cancelled.status)),
                 QStringLiteral("cancelled"));
        const int before = samples.count();
        QVERIFY(before < 12);

        samples.clear();
        QVERIFY(controller.resume(QString::fromStdString(cancelled.runId)));
        QVERIFY(finished.wait(60000));
        const auto resumed = finished.at(1).at(0).value<bt::report::RunResult>();
        QCOMPARE(QString::fromLatin1(bt::events::toString(resumed.status)),
                 QStringLiteral("completed"));
        QCOMPARE(resumed.runId, cancelled.runId);
        // Every trial's event comes once in the resumed run: the replayed and the new.
        QCOMPARE(samples.count(), 12);
        QCOMPARE(resumed.methods.front().samples.size(), std::size_t{12});
        bt::store::RunStore store(m_store);
        QVERIFY(store.run(resumed.runId).status == bt::events::RunStatus::Completed);

        // A completed run cannot be resumed: the reason, and one runFinished (failed).
        QSignalSpy errors(&controller, &RunController::errorOccurred);
        QVERIFY(controller.resume(QString::fromStdString(resumed.runId)));
        QVERIFY(finished.wait(5000));
        QCOMPARE(errors.count(), 1);
        QVERIFY2(errors.at(0).at(0).toString().contains(QStringLiteral("is completed")),
                 qPrintable(errors.at(0).at(0).toString()));
        QVERIFY(store.run(resumed.runId).status == bt::events::RunStatus::Completed);
        m_resumedRun = QString::fromStdString(resumed.runId);
    }

    void twoRunsCompare() {
        QVERIFY(!m_completedRun.isEmpty() && !m_resumedRun.isEmpty());
        bt::store::RunStore store(m_store);
        const auto a = bt::ui::loadStoredRun(store, m_completedRun.toStdString());
        const auto b = bt::ui::loadStoredRun(store, m_resumedRun.toStdString());
        QVERIFY(a.problems.empty());
        bt::ui::RunComparisonDialog dialog(a, b);
        QStringList methods;
        for (const auto& trace : dialog.data().methods()) {
            methods << QString::fromStdString(trace.method);
        }
        QCOMPARE(methods, (QStringList{QStringLiteral("bilevel · A"), QStringLiteral("random · A"),
                                       QStringLiteral("random · B")}));
        // Three methods, and below run A's bilevel row its augmented-Lagrangian weights'.
        const auto* table = dialog.chart()->table();
        QCOMPARE(table->rowCount(), 4);
        QCOMPARE(table->item(1, 0)->text(), QStringLiteral("↳ AL weights"));
        QVERIFY(!dialog.chart()->curvePoints("random · B").isEmpty());
        // The header names the settings the runs differ in, A's value then B's, and the table
        // ranks the rows: both runs read the same splits.
        const auto header = dialog.headerText();
        QVERIFY2(header.contains(QStringLiteral("<b>training.epochs</b> 10 → 150")),
                 qPrintable(header));
        QVERIFY2(header.contains(QStringLiteral("<b>random.trials</b> 3 → 12")),
                 qPrintable(header));
        QVERIFY(header.contains(QStringLiteral("<b>methods</b>")));
        QVERIFY(!header.contains(QStringLiteral("data differ")));
        const auto starred = [](const QTableWidget& t) {
            int n = 0;
            for (int r = 0; r < t.rowCount(); ++r) {
                for (int c = 0; c < t.columnCount(); ++c) {
                    n += t.item(r, c) && t.item(r, c)->text().startsWith(QStringLiteral("★"));
                }
            }
            return n;
        };
        QVERIFY(starred(*table) > 0);
        QVERIFY(!dialog.chart()->recommendationText().isEmpty());

        // Run B tested on other rows: the header says so and names the split (from the data's
        // fingerprints, which every stored run keeps); no best, no recommendation across the runs.
        QVERIFY(a.data.is_object() && a.data == b.data);
        auto otherSplits = b;
        otherSplits.config.dataset.test = std::int64_t{300}; // of the test file's 400 rows
        otherSplits.data["test"]["rows"] = 300;
        bt::ui::RunComparisonDialog apart(a, otherSplits);
        QVERIFY2(apart.headerText().contains(
                     QStringLiteral("data differ</b> (test rows): the runs validated or tested on "
                                    "different rows, so the table marks no best")),
                 qPrintable(apart.headerText()));
        // A run stored before fingerprints were kept: the keys decide.
        otherSplits.data = nullptr;
        QVERIFY(bt::ui::RunComparisonDialog(a, otherSplits)
                    .headerText()
                    .contains(QStringLiteral("data differ</b> (dataset.test): the runs may "
                                             "validate and test on different rows")));
        QCOMPARE(apart.chart()->table()->rowCount(), 4);
        QCOMPARE(starred(*apart.chart()->table()), 0);
        QVERIFY(apart.chart()->recommendationText().isEmpty());
        const auto* note = apart.chart()->findChild<QLabel*>(QStringLiteral("comparisonNote"));
        QVERIFY(note != nullptr && !note->text().contains(QStringLiteral("★")));
        QVERIFY(dialog.chart()
                    ->findChild<QLabel*>(QStringLiteral("comparisonNote"))
                    ->text()
                    .startsWith(QStringLiteral("★")));

        // Shown, the table's pane takes at most half of the height, the chart the rest (its
        // rows were filled before the dialog was shown).
        apart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&apart));
        const auto* splitter = apart.chart()->findChild<QSplitter*>();
        QVERIFY(splitter != nullptr);
        QTRY_VERIFY2(splitter->sizes().value(1) <= splitter->height() / 2 + 1,
                     qPrintable(QStringLiteral("%1 of %2")
                                    .arg(splitter->sizes().value(1))
                                    .arg(splitter->height())));
        // Made smaller, the table's pane still shows every row (the splitter's share left the
        // smaller window's rows behind a scroll bar).
        const int tallSplitter = splitter->height();
        apart.resize(900, 600);
        QTRY_VERIFY(splitter->height() < tallSplitter - 100);
        QTest::qWait(200); // the layout, then the fit it schedules
        QVERIFY2(!apart.chart()->table()->verticalScrollBar()->isVisible(),
                 qPrintable(QStringLiteral("pane %1 of %2")
                                .arg(splitter->sizes().value(1))
                                .arg(splitter->height())));
        QVERIFY(splitter->sizes().value(1) <= splitter->height() / 2 + 1);
        QVERIFY(splitter->sizes().value(0) >= splitter->height() / 2 - splitter->handleWidth());

        // The same run twice: the same settings.
        bt::ui::RunComparisonDialog same(a, a);
        QVERIFY(same.headerText().contains(QStringLiteral("The same settings.")));
        QVERIFY(starred(*same.chart()->table()) > 0);
    }

    // bilevel-tuner --export-report: no window, a report with every section; bad input exit 2.
    void headlessReportExport() {
        QVERIFY(!m_completedRun.isEmpty());
        const QString out = m_dir.filePath(QStringLiteral("report.html"));
        QProcess app;
        auto env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("QT_QPA_PLATFORM")); // the app chooses offscreen itself
        env.insert(QStringLiteral("BILEVEL_TUNER_DATA_DIR"),
                   m_dir.filePath(QStringLiteral("data")));
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(BT_GUI_BINARY),
                  {QStringLiteral("--export-report"), m_completedRun, QStringLiteral("--store"),
                   QString::fromStdString(m_store.string()), QStringLiteral("--out"), out});
        QVERIFY(app.waitForFinished(30000));
        QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(file.readAll());
        for (const auto& title : bt::ui::ReportWriter::sectionTitles()) {
            QVERIFY2(html.contains(QStringLiteral(">%1</h2>").arg(title)), qPrintable(title));
        }
        QVERIFY(html.contains(m_completedRun));
        // Its title names the run as stored, and so does the table of facts.
        const auto name = QString::fromStdString(
            bt::store::RunStore(m_store).run(m_completedRun.toStdString()).name);
        QVERIFY2(html.contains(QStringLiteral("<h1>Bilevel Tuner report: %1 (run %2)</h1>")
                                   .arg(name.toHtmlEscaped(), m_completedRun)),
                 qPrintable(html.left(1500)));
        QVERIFY(html.contains(
            QStringLiteral("<th align='left'>Name</th><td>%1</td>").arg(name.toHtmlEscaped())));

        app.start(QStringLiteral(BT_GUI_BINARY),
                  {QStringLiteral("--export-report"), QStringLiteral("no-such-run"),
                   QStringLiteral("--store"), QString::fromStdString(m_store.string()),
                   QStringLiteral("--out"), m_dir.filePath(QStringLiteral("none.pdf"))});
        QVERIFY(app.waitForFinished(30000));
        QCOMPARE(app.exitCode(), 2);
        QVERIFY(
            QString::fromUtf8(app.readAllStandardError()).contains(QStringLiteral("no-such-run")));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("none.pdf"))));
    }

    // Without a display: --help and --version print and exit 0; a window is refused with a
    // message and exit code 2 (Qt would abort).
    void withoutADisplayHelpWorksAndTheWindowIsRefused() {
        QProcess app;
        auto env = QProcessEnvironment::systemEnvironment();
        for (const auto* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}) {
            env.remove(QString::fromLatin1(name));
        }
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(BT_GUI_BINARY), {QStringLiteral("--help")});
        QVERIFY(app.waitForFinished(30000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);
        const auto help = QString::fromUtf8(app.readAllStandardOutput());
        QVERIFY(help.contains("--export-report"));
        // Every option the help lists is in the man page (--store, --dark and --export-report
        // were not).
        const auto man = QString::fromStdString(
            bt::testing::readText(std::filesystem::path(BT_TEST_SOURCE_DIR) / ".." / "packaging" /
                                  "man" / "bilevel-tuner.1"));
        const QRegularExpression optionLine(QStringLiteral("^\\s+(?:-\\w, )?--([a-z-]+)"),
                                            QRegularExpression::MultilineOption);
        int options = 0;
        for (auto it = optionLine.globalMatch(help); it.hasNext(); ++options) {
            const auto name = it.next().captured(1);
            const auto escaped = QStringLiteral("\\-\\-") + QString(name).replace("-", "\\-");
            QVERIFY2(man.contains(escaped), qPrintable("man page: --" + name));
        }
        QVERIFY(options >= 12);
        app.start(QStringLiteral(BT_GUI_BINARY), {QStringLiteral("--version")});
        QVERIFY(app.waitForFinished(30000));
        QCOMPARE(app.exitCode(), 0);
        app.start(QStringLiteral(BT_GUI_BINARY), {});
        QVERIFY(app.waitForFinished(30000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 2);
        QVERIFY(QString::fromUtf8(app.readAllStandardError()).contains("no display"));
    }

    // Run ▸ Start runs over seeds: the form's configuration once per seed (training.seed), one
    // run after another, named by their seed, then the aggregate across them. One seed is
    // refused (a run is Start run's).
    void runsOverSeedsEndInTheirAggregate() {
        const auto store = m_dir.filePath(QStringLiteral("seeds.db")).toStdString();
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.1"), QStringLiteral("log"));
        window.setStorePath(store);
        window.setupPanel()->setConfig(
            bt::testing::tinyRidgeConfig(m_dir.path(), {"random", "grid"}, 10, 2));
        QString error;
        QVERIFY(!window.startRunsOverSeeds({4}, &error));
        QVERIFY2(error.contains(QStringLiteral("two seeds")), qPrintable(error));
        QVERIFY2(window.startRunsOverSeeds({4, 7}, &error), qPrintable(error));
        QVERIFY(!window.findChild<QAction*>(QStringLiteral("actionStartSeeds"))->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(
            window.findChild<QDialog*>(QStringLiteral("acrossRunsDialog")) != nullptr, 120000);
        auto* dialog = window.findChild<QDialog*>(QStringLiteral("acrossRunsDialog"));
        const auto* caption = dialog->findChild<QLabel*>();
        QVERIFY(caption != nullptr);
        QVERIFY2(caption->text().contains(QStringLiteral("training.seed 4, 7")),
                 qPrintable(caption->text()));
        const auto runs = bt::store::RunStore(store).listRuns();
        QCOMPARE(runs.size(), std::size_t{2});
        for (const auto& run : runs) {
            QVERIFY(run.status == bt::events::RunStatus::Completed);
            const auto seed = run.config["training"]["seed"].get<std::uint64_t>();
            QVERIFY(seed == 4 || seed == 7);
            QVERIFY2(
                QString::fromStdString(run.name).endsWith(QStringLiteral(" · seed %1").arg(seed)),
                run.name.c_str());
        }
        QVERIFY(window.findChild<QAction*>(QStringLiteral("actionStartSeeds"))->isEnabled());
    }

    // A resumed run's charts get the inner steps of the iterations it had finished from the
    // store (the engine's replay brings back samples and outer iterations only); those of an
    // iteration cut short are left out, as the resumed run solves it again.
    void aResumedRunKeepsItsFinishedInnerSteps() {
        const auto path = m_dir.filePath(QStringLiteral("inner.db")).toStdString();
        bt::store::RunStore store(path);
        bt::store::NewRun run;
        run.id = "20260101-000000-inner";
        run.methods = {"bilevel"};
        store.createRun(run);
        const auto step = [&](int outer, int at) {
            bt::events::InnerProgressEvent e;
            e.outerIteration = outer;
            e.step = at;
            e.totalSteps = 10;
            e.lambda = {-2.0 - 0.1 * at};
            store.appendEvent(run.id, e);
        };
        step(1, 5);
        step(1, 10);
        bt::events::OuterIterationEvent first;
        first.iteration = 1;
        first.total = 3;
        first.lambda = {-3.0};
        store.appendEvent(run.id, first);
        step(2, 5); // the iteration the interruption cut short
        const auto steps = bt::ui::completedInnerSteps(store, run.id);
        QCOMPARE(steps.size(), std::size_t{2});
        for (const auto& event : steps) {
            QCOMPARE(std::get<bt::events::InnerProgressEvent>(event).outerIteration, 1);
        }
        QCOMPARE(std::get<bt::events::InnerProgressEvent>(steps.back()).step, 10);
    }

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_store;
    QString m_completedRun;
    QString m_resumedRun;
};

QTEST_MAIN(TestRunHistory)
#include "test_run_history.moc"
