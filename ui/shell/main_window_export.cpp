// MainWindow's exports: a chart, the run's data, its report and its kept models, each from the
// File menu with a dialog, and the report and a model without one (exportReport, exportModel).
#include "ui/shell/main_window.h"

#include <exception>
#include <string>
#include <vector>

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QSettings>
#include <QTabWidget>

#include "engine/store/run_store.h"
#include "ui/charts/live_charts.h"
#include "ui/charts/run_chart.h"
#include "ui/export/chart_export.h"
#include "ui/export/chart_export_dialog.h"
#include "ui/export/model_export.h"
#include "ui/export/report_writer.h"
#include "ui/export/run_data_export.h"
#include "ui/session/run_controller.h"
#include "ui/session/run_data.h"

namespace bt::ui {

QString MainWindow::exportFolder() const {
    const QString folder = QSettings().value(QStringLiteral("export/folder")).toString();
    return folder.isEmpty() ? QDir::homePath() : folder;
}

void MainWindow::rememberExportFolder(const QString& file) {
    QSettings().setValue(QStringLiteral("export/folder"), QFileInfo(file).absolutePath());
}

QString MainWindow::runFileStem() const {
    const auto& id = m_charts->data().runId();
    return id.empty() ? QStringLiteral("run") : QString::fromStdString(id);
}

void MainWindow::exportChartInteractively() {
    auto* chart = currentChart();
    if (chart == nullptr) {
        m_views->setCurrentIndex(0);
        chart = currentChart();
    }
    QSettings settings;
    PngOptions png;
    png.pixels = settings.value(QStringLiteral("export/pngSize"), png.pixels).toSize();
    png.dpi = settings.value(QStringLiteral("export/pngDpi"), png.dpi).toInt();
    const QString suggested = QDir(exportFolder())
                                  .filePath(runFileStem() + QLatin1Char('-') + chart->fileStem() +
                                            QStringLiteral(".png"));
    ChartExportDialog dialog(suggested, png, this);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    m_charts->refreshAll();
    QString error;
    if (!exportChart(*chart, dialog.path(), dialog.pngOptions(), &error)) {
        showMessage(tr("The chart could not be exported"), error);
        return;
    }
    settings.setValue(QStringLiteral("export/pngSize"), dialog.pngOptions().pixels);
    settings.setValue(QStringLiteral("export/pngDpi"), dialog.pngOptions().dpi);
    rememberExportFolder(dialog.path());
    say(tr("Exported %1").arg(dialog.path()), 5000);
}

void MainWindow::exportDataInteractively() {
    QString filter;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export run data"),
        QDir(exportFolder()).filePath(runFileStem() + QStringLiteral(".csv")),
        tr("CSV tables, in a folder of that name (*.csv);;JSON, as result.json (*.json)"), &filter);
    if (path.isEmpty()) {
        return;
    }
    QString error;
    const bool json =
        QFileInfo(path).suffix().compare(QStringLiteral("json"), Qt::CaseInsensitive) == 0;
    // The CSV tables are several files with fixed names (as `bilevel-tuner-cli export --format
    // csv` writes them): they go into a folder named after the file chosen.
    const QFileInfo chosen(path);
    const QString folder = chosen.dir().filePath(chosen.completeBaseName());
    const bool ok = json ? exportRunJson(m_charts->data(), path, &error)
                         : exportRunCsv(m_charts->data(), folder, &error);
    if (!ok) {
        showMessage(tr("The run data could not be exported"), error);
        return;
    }
    rememberExportFolder(path);
    say(json ? tr("Exported %1").arg(path)
             : tr("Exported samples.csv, trace.csv, anytime.csv and methods.csv to %1").arg(folder),
        5000);
}

bool MainWindow::exportReport(const QString& path, QString* error) {
    m_charts->refreshAll();
    std::vector<RunChart*> charts(m_charts->charts().begin(), m_charts->charts().end());
    const ReportWriter writer(m_charts->data(), charts, m_charts->comparison(), m_environmentText);
    return writer.write(path, error);
}

void MainWindow::exportReportInteractively() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export report"),
        QDir(exportFolder()).filePath(runFileStem() + QStringLiteral("-report.html")),
        tr("HTML page (*.html);;PDF document (*.pdf)"));
    if (path.isEmpty()) {
        return;
    }
    QString error;
    if (!exportReport(path, &error)) {
        showMessage(tr("The report could not be exported"), error);
        return;
    }
    rememberExportFolder(path);
    say(tr("Exported %1").arg(path), 5000);
}

std::filesystem::path MainWindow::keptModelFolder(QString* error) {
    try {
        return ui::keptModelFolder(m_controller->store().get(), m_charts->data().runId(), error);
    } catch (const std::exception& e) { // a store that cannot be opened
        *error = QString::fromStdString(e.what());
        return {};
    }
}

bool MainWindow::exportModel(const QString& method, const QString& which, const QString& path,
                             QString* error) {
    const auto folder = keptModelFolder(error);
    return !folder.empty() && exportKeptModel(folder, method, which, path, error);
}

void MainWindow::exportModelInteractively() {
    QString error;
    const auto folder = keptModelFolder(&error);
    if (folder.empty()) {
        showMessage(tr("No model to export"), error);
        return;
    }
    std::vector<std::string> methods;
    for (const auto& trace : m_charts->data().methods()) {
        methods.push_back(trace.method);
    }
    const auto recommended = m_charts->data().recommendation();
    const auto kept =
        recommended ? keptChoices(folder, methods, methods[recommended->index], recommended->refit)
                    : keptChoices(folder, methods);
    if (kept.empty()) {
        showMessage(tr("No model to export"),
                    tr("This run kept no model: no method finished, or the run was made before "
                       "runs kept their models."));
        return;
    }
    QStringList labels;
    for (const auto& k : kept) {
        labels << k.label;
    }
    bool ok = false;
    const QString label =
        QInputDialog::getItem(this, tr("Export model"), tr("Model:"), labels, 0, false, &ok);
    if (!ok) {
        return;
    }
    const auto& chosen = kept[static_cast<std::size_t>(labels.indexOf(label))];
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export model"),
        QDir(exportFolder())
            .filePath(runFileStem() + QStringLiteral("-%1-%2.pt").arg(chosen.method, chosen.which)),
        tr("TorchScript archive (*.pt)"));
    if (path.isEmpty()) {
        return;
    }
    if (!exportKeptModel(folder, chosen.method, chosen.which, path, &error)) {
        showMessage(tr("The model could not be exported"), error);
        return;
    }
    rememberExportFolder(path);
    say(tr("Exported %1 and its sidecar %2")
            .arg(path, QFileInfo(path).dir().filePath(QFileInfo(path).completeBaseName() +
                                                      QStringLiteral(".json"))),
        8000);
}

} // namespace bt::ui
