#include <QtTest>

#include <algorithm>
#include <filesystem>

#include <QAbstractButton>
#include <QAction>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolBar>

#include "engine/config/run_config_json.h"
#include "engine/report/result_json.h"
#include "engine/store/run_store.h"
#include "qt_test_support.h"
#include "tests/support/text_files.h"
#include "ui/charts/live_charts.h"
#include "ui/history/across_runs_dialog.h"
#include "ui/history/run_history_panel.h"
#include "ui/session/run_controller.h"
#include "ui/shell/main_window.h"

using bt::ui::RunController;

// The Runs view on stores made by hand: sorting and filtering, renaming and deleting,
// aggregating runs across seeds. (test_run_history.cpp records runs through the window.)
class TestRunsView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        bt::testing::isolateSettings(m_dir.filePath(QStringLiteral("data")));
    }

    // The Runs view sorts by any column, the recommended model by its test loss (the lower
    // first when descending, a run without one last), and a filter keeps the rows holding its
    // text. Three runs made by hand in a store of their own.
    void theRunsViewSortsAndFilters() {
        const auto path = m_dir.filePath(QStringLiteral("list.db")).toStdString();
        {
            bt::store::RunStore store(path);
            bt::config::RunConfig config;
            config.dataset.kind = bt::config::DatasetKind::Mnist;
            const std::vector<std::pair<std::string, double>> runs{
                {"alpha", 0.5}, {"beta", 0.2}, {"gamma", -1.0}};
            int n = 0;
            for (const auto& [name, loss] : runs) {
                bt::store::NewRun run;
                run.id = "20260101-00000" + std::to_string(n++) + "-" + name;
                run.name = name;
                run.methods = {"random"};
                run.config = bt::config::toJson(config);
                store.createRun(run);
                if (loss > 0) { // gamma is still running: no result
                    bt::report::RunResult result;
                    result.runId = run.id;
                    result.status = bt::events::RunStatus::Completed;
                    bt::report::MethodResult random;
                    random.method = "random";
                    random.lambda = {-2.0};
                    random.refitMetrics = bt::events::Metrics{};
                    random.refitMetrics->testLoss = loss;
                    result.methods = {random};
                    store.finishRun(run.id, bt::events::RunStatus::Completed, "",
                                    bt::report::toJson(result));
                }
            }
        }
        RunController controller;
        controller.setStorePath(path);
        bt::ui::RunHistoryPanel panel(&controller);
        panel.refresh();
        auto* table = panel.table();
        const auto names = [table] {
            QStringList out;
            for (int row = 0; row < table->rowCount(); ++row) {
                out << table->item(row, 1)->text();
            }
            return out.join(QLatin1Char(' '));
        };
        QCOMPARE(names(), QStringLiteral("gamma beta alpha")); // newest first
        const int best = bt::testing::columnTitled(table, "Recommended model");
        QCOMPARE(table->item(1, best)->text(), QStringLiteral("test loss 0.2 (random)"));
        QCOMPARE(table->item(0, best)->text(), QStringLiteral("—"));
        QCOMPARE(table->item(0, bt::testing::columnTitled(table, "Task"))->text(),
                 QStringLiteral("mlp 300-100 on mnist"));
        table->sortByColumn(best, Qt::DescendingOrder);
        QCOMPARE(names(), QStringLiteral("beta alpha gamma"));
        table->sortByColumn(best, Qt::AscendingOrder);
        QCOMPARE(names(), QStringLiteral("gamma alpha beta"));
        panel.refresh(); // the sort holds over a refresh
        QCOMPARE(names(), QStringLiteral("gamma alpha beta"));

        const auto* status = panel.findChild<QLabel*>(QStringLiteral("runsStatus"));
        QVERIFY(status != nullptr);
        table->selectAll();
        panel.setFilterText(QStringLiteral("BETA")); // any case
        QVERIFY(table->isRowHidden(0) && table->isRowHidden(1) && !table->isRowHidden(2));
        // The frozen run column hides the same rows.
        const auto* frozen = table->findChild<QTableView*>(QStringLiteral("frozenColumns"));
        QVERIFY(frozen != nullptr);
        QVERIFY(frozen->isRowHidden(0) && frozen->isRowHidden(1) && !frozen->isRowHidden(2));
        QVERIFY(!frozen->isColumnHidden(0) && frozen->isColumnHidden(1));
        QCOMPARE(panel.selectedRunIds(), QStringList{QStringLiteral("20260101-000001-beta")});
        QVERIFY2(status->text().endsWith(QStringLiteral("; 1 shown")), qPrintable(status->text()));
        panel.setFilterText(QStringLiteral("0.5 (random)")); // the figure's text too
        QVERIFY(!table->isRowHidden(1) && table->isRowHidden(2));
        panel.setFilterText(QStringLiteral("no run has this"));
        QVERIFY(table->isRowHidden(0) && table->isRowHidden(1) && table->isRowHidden(2));
        QVERIFY(panel.selectedRunIds().isEmpty());
        panel.setFilterText(QString());
        QVERIFY(!table->isRowHidden(0) && !table->isRowHidden(1) && !table->isRowHidden(2));
        QVERIFY(!frozen->isRowHidden(0) && !frozen->isRowHidden(1) && !frozen->isRowHidden(2));
        QVERIFY2(!status->text().contains(QStringLiteral("shown")), qPrintable(status->text()));
    }

    // File ▸ Open run store: another store's runs are listed from then on and the run on screen,
    // of the store before, leaves; a file that is missing or not a store is said, left as it
    // is, and the store in use stays. The default store (the data folder's) comes back.
    void anotherRunStoreIsOpened() {
        const auto first = m_dir.filePath(QStringLiteral("first.db")).toStdString();
        const QString second = m_dir.filePath(QStringLiteral("second.db"));
        const std::vector<std::pair<std::string, std::vector<std::string>>> stores{
            {first, {"20260102-000000-aaaa"}},
            {second.toStdString(), {"20260102-000001-bbbb", "20260102-000002-cccc"}}};
        for (const auto& [path, ids] : stores) {
            bt::store::RunStore store(path);
            for (const auto& id : ids) {
                bt::store::NewRun run;
                run.id = id;
                run.name = "stored";
                run.methods = {"random"};
                run.config = bt::config::toJson(bt::config::RunConfig{});
                store.createRun(run);
                store.setStatus(id, bt::events::RunStatus::Completed, "");
            }
        }
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.1"), QStringLiteral("log"));
        window.setStorePath(first);
        auto* table = window.historyPanel()->table();
        QCOMPARE(table->rowCount(), 1);
        QString error;
        QVERIFY2(window.openStoredRun(QStringLiteral("20260102-000000-aaaa"), &error),
                 qPrintable(error));
        auto* useDefault = window.findChild<QAction*>(QStringLiteral("actionDefaultStore"));
        QVERIFY(useDefault != nullptr && useDefault->isEnabled());

        QVERIFY2(window.openRunStore(second, &error), qPrintable(error));
        QCOMPARE(table->rowCount(), 2);
        QVERIFY2(!window.windowTitle().contains(QStringLiteral("aaaa")),
                 qPrintable(window.windowTitle()));

        const QString notes = m_dir.filePath(QStringLiteral("notes.db"));
        const std::string bytes = "PK\x03\x04 an archive, not a store" + std::string(700, 'z');
        bt::testing::writeText(notes.toStdString(), bytes);
        QVERIFY(!window.openRunStore(notes, &error));
        QVERIFY2(error.contains(QStringLiteral("not an SQLite database")), qPrintable(error));
        QCOMPARE(bt::testing::readText(notes.toStdString()), bytes);
        QVERIFY(!window.openRunStore(m_dir.filePath(QStringLiteral("absent.db")), &error));
        QVERIFY2(error.contains(QStringLiteral("no such file")), qPrintable(error));
        QCOMPARE(table->rowCount(), 2);

        useDefault->trigger();
        QCOMPARE(table->rowCount(), 0);
        QVERIFY(!useDefault->isEnabled());
    }

    // The Runs view renames a run (a dialog offering its name) and deletes runs after asking,
    // with their kept models; a running run is refused and stays.
    void runsAreRenamedAndDeleted() {
        const auto path = m_dir.filePath(QStringLiteral("rename.db")).toStdString();
        const auto checkpoints = std::filesystem::path(path).parent_path() / "checkpoints";
        {
            bt::store::RunStore store(path);
            for (const char* id : {"20260101-000000-one", "20260101-000001-two",
                                   "20260101-000002-three", "20260101-000003-live"}) {
                bt::store::NewRun run;
                run.id = id;
                run.name = std::string(id).substr(16);
                run.methods = {"random"};
                run.config = bt::config::toJson(bt::config::RunConfig{});
                store.createRun(run);
                if (run.name != "live") { // live: this process, running
                    store.setStatus(id, bt::events::RunStatus::Completed, "");
                }
                std::filesystem::create_directories(checkpoints / id);
                bt::testing::writeText(checkpoints / id / "refit.pt", "weights");
            }
        }
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.1"), QStringLiteral("log"));
        window.setStorePath(path);
        auto* panel = window.historyPanel();
        auto* table = panel->table();
        const auto rowOf = [table](const QString& name) {
            for (int row = 0; row < table->rowCount(); ++row) {
                if (table->item(row, 1)->text() == name) {
                    return row;
                }
            }
            return -1;
        };
        auto* rename = panel->findChild<QAction*>(QStringLiteral("runsRename"));
        auto* remove = panel->findChild<QAction*>(QStringLiteral("runsDelete"));
        QVERIFY(rename != nullptr && remove != nullptr);
        QCOMPARE(rename->shortcut(), QKeySequence(Qt::Key_F2));
        QCOMPARE(remove->shortcut(), QKeySequence(QKeySequence::Delete));
        QVERIFY(!rename->isEnabled() && !remove->isEnabled());
        // The context menu holds every operation, rename and delete after a separator.
        Q_EMIT table->customContextMenuRequested(QPoint(5, 5));
        auto* menu = panel->findChild<QMenu*>();
        QVERIFY(menu != nullptr);
        QCOMPARE(menu->actions().size(), 9);
        QCOMPARE(menu->actions().at(7), rename);
        QCOMPARE(menu->actions().at(8), remove);
        // The view's tool bar holds them all, so that they are found without the context menu.
        auto* bar = panel->findChild<QToolBar*>(QStringLiteral("runsOperations"));
        QVERIFY(bar != nullptr);
        for (const auto* action : menu->actions()) {
            QVERIFY(action->isSeparator() || bar->actions().contains(action));
        }
        menu->close();

        table->selectRow(rowOf(QStringLiteral("two")));
        QVERIFY(rename->isEnabled() && remove->isEnabled());
        rename->trigger();
        auto* dialog = window.findChild<QInputDialog*>(QStringLiteral("renameDialog"));
        QVERIFY(dialog != nullptr);
        QCOMPARE(dialog->textValue(), QStringLiteral("two"));
        dialog->setTextValue(QStringLiteral("  ridge, second try "));
        dialog->accept();
        QVERIFY(rowOf(QStringLiteral("ridge, second try")) >= 0);
        // Listed again, the run stays selected.
        QCOMPARE(panel->selectedRunIds(), QStringList{QStringLiteral("20260101-000001-two")});
        QCOMPARE(bt::store::RunStore(path).findRun("20260101-000001-two")->name,
                 std::string("ridge, second try"));
        // A name the store refuses is said, and the run keeps its name.
        QString error;
        QVERIFY(!window.renameStoredRun(QStringLiteral("20260101-000001-two"),
                                        QStringLiteral("a\nb"), &error));
        QVERIFY2(error.contains(QStringLiteral("line break")), qPrintable(error));
        QVERIFY(rowOf(QStringLiteral("ridge, second try")) >= 0);

        // The run on screen, deleted below, takes its charts with it.
        QVERIFY2(window.openStoredRun(QStringLiteral("20260101-000000-one"), &error),
                 qPrintable(error));
        QVERIFY(window.windowTitle().contains(QStringLiteral("20260101-000000-one")));

        // Two selected, asked, cancelled: nothing goes.
        table->clearSelection();
        table->selectRow(rowOf(QStringLiteral("one")));
        table->selectionModel()->select(table->model()->index(rowOf(QStringLiteral("three")), 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QCOMPARE(panel->selectedRunIds().size(), 2);
        remove->trigger();
        auto* question = window.findChild<QMessageBox*>(QStringLiteral("deleteDialog"));
        QVERIFY(question != nullptr);
        QVERIFY2(question->text().contains(QStringLiteral("2 runs")), qPrintable(question->text()));
        question->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(window.findChild<QMessageBox*>(QStringLiteral("deleteDialog")) == nullptr);
        QCOMPARE(table->rowCount(), 4);
        // Asked again, yes: both go, with their checkpoint folders; the others stay.
        remove->trigger();
        question = window.findChild<QMessageBox*>(QStringLiteral("deleteDialog"));
        QVERIFY(question != nullptr);
        question->button(QMessageBox::Yes)->click();
        QCOMPARE(table->rowCount(), 2);
        QVERIFY(rowOf(QStringLiteral("one")) < 0 && rowOf(QStringLiteral("three")) < 0);
        QVERIFY(!std::filesystem::exists(checkpoints / "20260101-000000-one"));
        QVERIFY(!std::filesystem::exists(checkpoints / "20260101-000002-three"));
        QVERIFY(std::filesystem::exists(checkpoints / "20260101-000001-two" / "refit.pt"));
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("Deleted 2 runs")),
                 qPrintable(window.statusBar()->currentMessage()));
        QVERIFY(window.charts()->data().runId().empty());
        QCOMPARE(window.windowTitle(), QStringLiteral("Bilevel Tuner"));

        // The running run is refused, named, and kept.
        QVERIFY(!window.deleteStoredRuns({QStringLiteral("20260101-000003-live")}, &error));
        QVERIFY2(error.contains(QStringLiteral("is running")), qPrintable(error));
        QVERIFY(rowOf(QStringLiteral("live")) >= 0);
        QVERIFY(std::filesystem::exists(checkpoints / "20260101-000003-live" / "refit.pt"));
    }

    // Runs of the same settings, seeds apart, aggregated from the Runs view: the table of
    // `aggregate`, the best method's row in bold; runs of other settings are refused, named.
    void runsAreAggregatedAcrossSeeds() {
        const auto path = m_dir.filePath(QStringLiteral("seeds.db")).toStdString();
        {
            bt::store::RunStore store(path);
            const std::vector<double> losses{0.30, 0.34, 0.32};
            for (std::size_t s = 0; s <= losses.size(); ++s) {
                bt::config::RunConfig config;
                config.training.seed = s;
                config.training.epochs = s < losses.size() ? 10 : 11;
                bt::store::NewRun run;
                run.id = "20260101-00000" + std::to_string(s) + "-seed";
                run.name = "seed " + std::to_string(s);
                run.methods = {"random", "grid"};
                run.config = bt::config::toJson(config);
                store.createRun(run);
                bt::report::RunResult result;
                result.runId = run.id;
                result.status = bt::events::RunStatus::Completed;
                for (const auto& [method, extra] : {std::pair{"random", 0.0}, {"grid", 0.05}}) {
                    bt::report::MethodResult m;
                    m.method = method;
                    m.lambda = {-2.0};
                    m.metrics.testLoss = losses[std::min(s, losses.size() - 1)] + extra;
                    m.metrics.testAccuracy = 0.9;
                    m.refitMetrics = m.metrics;
                    result.methods.push_back(m);
                }
                store.finishRun(run.id, bt::events::RunStatus::Completed, "",
                                bt::report::toJson(result));
            }
        }
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.1"), QStringLiteral("log"));
        window.setStorePath(path);
        auto* panel = window.historyPanel();
        auto* table = panel->table();
        auto* aggregate = panel->findChild<QAction*>(QStringLiteral("runsAggregate"));
        QVERIFY(aggregate != nullptr);
        const auto select = [table](const QStringList& names) {
            table->clearSelection();
            for (int row = 0; row < table->rowCount(); ++row) {
                if (names.contains(table->item(row, 1)->text())) {
                    table->selectionModel()->select(table->model()->index(row, 0),
                                                    QItemSelectionModel::Select |
                                                        QItemSelectionModel::Rows);
                }
            }
        };
        select({QStringLiteral("seed 0")});
        QVERIFY(!aggregate->isEnabled());
        select({QStringLiteral("seed 0"), QStringLiteral("seed 1"), QStringLiteral("seed 2")});
        QVERIFY(aggregate->isEnabled());
        aggregate->trigger();
        auto* dialog = window.findChild<bt::ui::AcrossRunsDialog*>();
        QVERIFY(dialog != nullptr);
        const auto* shown = dialog->table();
        QCOMPARE(shown->rowCount(), 2);
        QCOMPARE(shown->item(0, 0)->text(), QStringLiteral("random"));
        QCOMPARE(shown->item(0, 2)->text(), QStringLiteral("0.3200 ± 0.0115"));
        QCOMPARE(shown->item(0, 7)->text(), QStringLiteral("best"));
        QVERIFY(shown->item(0, 0)->font().bold() && !shown->item(1, 0)->font().bold());
        QCOMPARE(shown->item(1, 7)->text(), QStringLiteral("+0.0500 ± 0.0000 behind"));
        const auto* caption = dialog->findChild<QLabel*>();
        QVERIFY2(caption != nullptr &&
                     caption->text().contains(QStringLiteral("training.seed 0, 1, 2")),
                 qPrintable(caption->text()));
        dialog->close();

        QString error;
        QVERIFY(!window.aggregateRuns(
            {QStringLiteral("20260101-000000-seed"), QStringLiteral("20260101-000003-seed")},
            &error));
        QVERIFY2(error.contains(QStringLiteral("training.epochs 11")), qPrintable(error));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestRunsView)
#include "test_runs_view.moc"
