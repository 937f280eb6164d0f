#include "ui/shell/window_geometry.h"

#include <algorithm>

#include <QDockWidget>
#include <QMainWindow>
#include <QScreen>
#include <QSplitter>
#include <QTimer>

namespace bt::ui {

void fitFirstWindow(QMainWindow& window, QSplitter& splitter, QDockWidget& log) {
    QSize size(1320, 860);
    if (const auto* display = window.screen()) {
        const QSize available = display->availableGeometry().size();
        size = size.expandedTo(available * 3 / 4)
                   .boundedTo(QSize(available.width() * 95 / 100, available.height() * 92 / 100))
                   .expandedTo(window.minimumSize());
        if (available.height() < 800) {
            // A resize of the dock before the window is laid out is not kept.
            QTimer::singleShot(0, &window, [&window, &log] {
                window.resizeDocks({&log}, {log.minimumSizeHint().height()}, Qt::Vertical);
            });
        }
    }
    window.resize(size);
    const int form = std::clamp(size.width() * 34 / 100, 380, 520);
    splitter.setSizes({form, size.width() - form});
}

} // namespace bt::ui
