#include "ui/export/view_capture.h"

#include <QApplication>
#include <QDir>
#include <QPixmap>
#include <QStatusTipEvent>
#include <QTabWidget>

#include "ui/charts/live_charts.h"
#include "ui/charts/run_chart.h"
#include "ui/shell/main_window.h"

namespace bt::ui {

bool captureWindow(MainWindow& window, const QString& file) {
    QApplication::processEvents();
    // Where the pointer happens to rest is not part of the picture: a chart's hint under it
    // gives the status bar back to the window's own message (MainWindow::event).
    QStatusTipEvent away{QString()};
    QApplication::sendEvent(&window, &away);
    return window.grab().save(file, "PNG");
}

QStringList captureViews(MainWindow& window, const QString& folder, const QString& prefix) {
    QDir().mkpath(folder);
    QStringList written;
    auto* tabs = window.views();
    const int previous = tabs->currentIndex();
    window.charts()->refreshAll();
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        QString stem = tabs->widget(i)->property("fileStem").toString();
        if (stem.isEmpty()) {
            stem = QStringLiteral("view-%1").arg(i);
        }
        if (auto* chart = qobject_cast<RunChart*>(tabs->widget(i))) {
            stem = chart->fileStem();
            chart->refresh(window.charts()->data());
        }
        const QString file = QDir(folder).filePath(prefix + stem + QStringLiteral(".png"));
        if (captureWindow(window, file)) {
            written << file;
        }
    }
    tabs->setCurrentIndex(previous);
    return written;
}

} // namespace bt::ui
