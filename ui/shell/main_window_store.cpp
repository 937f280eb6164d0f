// MainWindow's work on the run store: which store, and the Runs view's operations on its runs
// (open, use settings, rename, delete, aggregate, resume, compare).
#include "ui/shell/main_window.h"

#include <functional>

#include <QAbstractButton>
#include <QFileDialog>
#include <QMessageBox>

#include <nlohmann/json.hpp>

#include "engine/config/run_config_json.h"
#include "engine/core/error.h"
#include "engine/store/run_store.h"
#include "engine/store/runs_across_seeds.h"
#include "engine/store/store_journal.h"
#include "ui/charts/live_charts.h"
#include "ui/history/across_runs_dialog.h"
#include "ui/history/run_comparison_dialog.h"
#include "ui/history/run_history_panel.h"
#include "ui/session/run_controller.h"
#include "ui/session/run_data.h"
#include "ui/session/run_progress_bar.h"
#include "ui/setup/setup_panel.h"

namespace bt::ui {

void MainWindow::setStorePath(const std::filesystem::path& path) {
    m_controller->setStorePath(path);
    m_history->refresh();
    updateActions();
}

bool MainWindow::openRunStore(const QString& path, QString* error) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path.toStdString(), ec)) {
        *error = tr("%1: no such file").arg(path);
        return false;
    }
    return switchRunStore(path.toStdString(), error);
}

bool MainWindow::switchRunStore(const std::filesystem::path& path, QString* error) {
    if (m_controller->isRunning()) {
        *error = tr("A run is in progress; open another run store when it has ended");
        return false;
    }
    try {
        // Opening checks the file (an SQLite database of this program, a schema it reads) and
        // leaves one that is not untouched.
        store::RunStore(path).listRuns();
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
    setStorePath(path);
    if (!m_charts->data().runId().empty()) {
        m_charts->clear(); // a run of the store before: its id means nothing in this one
        updateTitle();
    }
    const QString text = tr("Run store: %1").arg(QString::fromStdString(path.string()));
    logApp(text);
    say(text);
    return true;
}

void MainWindow::openRunStoreInteractively() {
    const auto current = m_controller->storePath();
    const QString folder = QString::fromStdString(
        (current.empty() ? store::RunStore::defaultPath() : current).parent_path().string());
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a run store"), folder,
                                                      tr("Run stores (*.db);;All files (*)"));
    if (path.isEmpty()) {
        return;
    }
    if (QString error; !openRunStore(path, &error)) {
        showMessage(tr("The run store could not be opened"), error);
    }
}

bool MainWindow::onTheStore(const QString& busy, QString* error,
                            const std::function<void(store::RunStore&)>& action) {
    if (m_controller->isRunning()) {
        if (error != nullptr) {
            *error = busy;
        }
        return false;
    }
    try {
        const auto runStore = m_controller->store();
        if (!runStore) {
            throw std::runtime_error("no run store is set");
        }
        action(*runStore);
        return true;
    } catch (const std::exception& e) {
        if (error != nullptr) {
            *error = QString::fromUtf8(e.what());
        }
        return false;
    }
}

bool MainWindow::openStoredRun(const QString& runId, QString* error) {
    const auto busy =
        tr("A run is in progress: its charts are on screen. Open %1 when it has ended.").arg(runId);
    return onTheStore(busy, error, [&](const store::RunStore& runStore) {
        const auto run = loadStoredRun(runStore, runId.toStdString());
        for (const auto& problem : run.problems) {
            logRunProblem(runId, QString::fromStdString(problem));
        }
        m_charts->showStoredRun(run);
        const bool bilevel = run.config.methods.empty() ||
                             std::find(run.config.methods.begin(), run.config.methods.end(),
                                       config::Method::Bilevel) != run.config.methods.end();
        m_views->setCurrentIndex(bilevel ? 0 : 4);
        m_progress->reset();
        updateTitle();
        say(tr("Showing run %1 (%2)")
                .arg(QString::fromStdString(run.runId), statusText(run.status)));
    });
}

bool MainWindow::useRunSettings(const QString& runId, QString* error) {
    const auto busy = tr("A run is in progress and the form is locked. Use the settings of %1 "
                         "when it has ended.")
                          .arg(runId);
    return onTheStore(busy, error, [&](const store::RunStore& runStore) {
        const auto run = runStore.run(runId.toStdString());
        std::vector<config::ConfigProblem> problems;
        const auto config = config::readRunConfig(run.config, problems);
        const auto id = QString::fromStdString(run.id);
        for (const auto& problem : problems) {
            logRunProblem(id, QStringLiteral("configuration: ") +
                                  QString::fromStdString(problem.toString()));
        }
        m_setup->showConfig(config, QString::fromStdString(run.name.empty() ? run.id : run.name));
        say(tr("The form holds the settings of run %1").arg(id));
    });
}

void MainWindow::logRunProblem(const QString& runId, const QString& problem) {
    logApp(tr("run %1: %2").arg(runId, problem), true);
}

bool MainWindow::renameStoredRun(const QString& runId, const QString& name, QString* error) {
    const auto busy = tr("A run is in progress. Rename %1 when it has ended.").arg(runId);
    const bool renamed = onTheStore(busy, error, [&](store::RunStore& runStore) {
        runStore.renameRun(runId.toStdString(), name.toStdString());
    });
    if (renamed) {
        m_history->refresh();
        say(tr("Run %1 is named \"%2\"").arg(runId, name));
    }
    return renamed;
}

void MainWindow::askToDelete(const QStringList& runIds) {
    if (m_controller->isRunning()) {
        say(tr("A run is in progress. Delete runs when it has ended."), 10000);
        return;
    }
    // open(), not exec(), as showMessage.
    auto* box = new QMessageBox(QMessageBox::Question, tr("Delete runs"),
                                runIds.size() == 1 ? tr("Delete run %1?").arg(runIds.front())
                                                   : tr("Delete %1 runs?").arg(runIds.size()),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("deleteDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    const auto store = QString::fromStdString(m_controller->storePath().string());
    box->setInformativeText(
        runIds.size() == 1
            ? tr("Its records and kept models leave the run store %1; this cannot be undone. "
                 "Its output folder (result.json) stays where it is.")
                  .arg(store)
            : tr("Their records and kept models leave the run store %1; this cannot be undone. "
                 "Their output folders (result.json) stay where they are.")
                  .arg(store));
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box->button(QMessageBox::Yes), &QAbstractButton::clicked, this, [this, runIds] {
        QString error;
        if (!deleteStoredRuns(runIds, &error)) {
            showMessage(tr("Not every run could be deleted"), error);
        }
    });
    box->open();
}

bool MainWindow::deleteStoredRuns(const QStringList& runIds, QString* error) {
    const auto busy = tr("A run is in progress. Delete runs when it has ended.");
    QStringList deleted;
    QStringList problems;
    const bool done = onTheStore(busy, error, [&](store::RunStore& runStore) {
        for (const auto& id : runIds) {
            const auto problem = store::deleteStoredRun(runStore, id.toStdString());
            deleted << id;
            if (!problem.empty()) {
                problems << QString::fromStdString(problem);
            }
        }
    });
    if (!deleted.isEmpty()) {
        m_history->refresh();
        // The run on screen is gone: so are its charts.
        if (deleted.contains(QString::fromStdString(m_charts->data().runId()))) {
            m_charts->clear();
            updateTitle();
        }
        say(deleted.size() == 1 ? tr("Deleted run %1").arg(deleted.front())
                                : tr("Deleted %1 runs").arg(deleted.size()));
    }
    if (done && !problems.isEmpty() && error != nullptr) {
        *error = problems.join(QLatin1Char('\n'));
    }
    return done && problems.isEmpty();
}

bool MainWindow::aggregateRuns(const QStringList& runIds, QString* error) {
    std::vector<std::string> ids;
    for (const auto& id : runIds) {
        ids.push_back(id.toStdString());
    }
    const auto busy = tr("A run is in progress. Aggregate runs when it has ended.");
    return onTheStore(busy, error, [&](store::RunStore& runStore) {
        const auto across = store::runsAcrossSeeds(runStore, ids, "runs");
        auto* dialog = new AcrossRunsDialog(across.table(), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
}

bool MainWindow::resumeRun(const QString& runId) {
    if (m_controller->isRunning()) {
        say(tr("A run is in progress; resume %1 when it has ended").arg(runId));
        return false;
    }
    return m_controller->resume(runId);
}

bool MainWindow::compareRuns(const QString& first, const QString& second, QString* error) {
    try {
        auto runStore = m_controller->store();
        if (!runStore) {
            throw std::runtime_error("no run store is set");
        }
        const auto a = loadStoredRun(*runStore, first.toStdString());
        const auto b = loadStoredRun(*runStore, second.toStdString());
        auto* dialog = new RunComparisonDialog(a, b, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
        return true;
    } catch (const std::exception& e) {
        if (error != nullptr) {
            *error = QString::fromUtf8(e.what());
        }
        return false;
    }
}

} // namespace bt::ui
