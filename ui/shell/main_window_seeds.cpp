// MainWindow's runs of one configuration over seeds: asked for, run one after another, then
// aggregated across the seeds.
#include "ui/shell/main_window.h"

#include <QInputDialog>
#include <QTimer>

#include "engine/config/seed_list.h"
#include "engine/core/error.h"
#include "ui/session/run_controller.h"
#include "ui/setup/setup_panel.h"

namespace bt::ui {

void MainWindow::askForSeeds() {
    if (m_controller->isRunning() || !m_setup->isValid()) {
        return;
    }
    // open(), not exec(): a nested event loop would deliver a run's events re-entrantly.
    auto* dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("seedsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Start runs over seeds"));
    dialog->setLabelText(
        tr("The form's configuration once per seed (training.seed), one run after another; "
           "then each method's mean ± standard error across them.\n\nSeeds (such as 0-2 or "
           "0, 1, 5):"));
    dialog->setTextValue(QStringLiteral("0-2"));
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString& text) {
        QString error;
        try {
            const auto seeds = config::parseSeedList(text.toStdString(), "seeds");
            if (startRunsOverSeeds(seeds, &error)) {
                return;
            }
        } catch (const core::InputError& e) {
            error = QString::fromStdString(e.what());
        }
        showMessage(tr("The runs over seeds did not start"), error);
    });
    dialog->open();
}

bool MainWindow::startRunsOverSeeds(const std::vector<std::uint64_t>& seeds, QString* error) {
    if (m_controller->isRunning()) {
        *error = tr("A run is in progress");
        return false;
    }
    const auto config = m_setup->config();
    if (!config) {
        *error = tr("The configuration has problems; see the setup panel");
        return false;
    }
    if (seeds.size() < 2) {
        *error = tr("Name two seeds or more: one seed is a run (Start run)");
        return false;
    }
    const QString name = m_setup->configName();
    m_series = SeedSeries{*config, name.isEmpty() ? tr("runs over seeds") : name, seeds, {}};
    startNextSeed();
    if (!m_series) {
        *error = tr("The first run did not start; see the log");
        return false;
    }
    return true;
}

void MainWindow::startNextSeed() {
    if (!m_series) {
        return;
    }
    auto& series = *m_series;
    const auto index = static_cast<std::size_t>(series.runIds.size());
    const auto seed = series.seeds[index];
    const auto seeded = config::seededRun(series.config, series.name.toStdString(), seed);
    const bool started = startConfiguredRun(seeded.config, QString::fromStdString(seeded.name),
                                            tr("runs over seeds: %1 of %2, training.seed %3")
                                                .arg(index + 1)
                                                .arg(series.seeds.size())
                                                .arg(seed));
    if (!started) {
        m_series.reset();
    }
}

void MainWindow::continueSeries(const QString& runId, events::RunStatus status) {
    if (!m_series) {
        return;
    }
    auto& series = *m_series;
    if (status != events::RunStatus::Completed || m_closeWhenRunEnds) {
        const QString text = tr("runs over seeds: stopped after %1 of %2 (the last run %3)")
                                 .arg(series.runIds.size())
                                 .arg(series.seeds.size())
                                 .arg(QString::fromLatin1(events::toString(status)));
        logApp(text, true);
        m_series.reset();
        return;
    }
    series.runIds << runId;
    if (static_cast<std::size_t>(series.runIds.size()) < series.seeds.size()) {
        // After the finished run's own handling, once the controller is free again.
        QTimer::singleShot(0, this, &MainWindow::startNextSeed);
        return;
    }
    const auto ids = series.runIds;
    m_series.reset();
    if (QString error; !aggregateRuns(ids, &error)) {
        showMessage(tr("The runs over seeds could not be aggregated"), error);
    }
}

} // namespace bt::ui
