#pragma once

#include <QString>
#include <QStringList>

namespace bt::ui {

class MainWindow;

/// Saves the main window as it looks with each view of the run on screen, as PNG files in
/// `folder`: "<prefix><view>.png" (trajectories, constraint, losses, surrogate, comparison) and
/// "<prefix>environment.png". For the README's screenshots and for looking at the app without
/// a display (the offscreen platform renders the same widgets).
/// @return the files written; a file that could not be written is left out and logged
QStringList captureViews(MainWindow& window, const QString& folder, const QString& prefix = {});

/// Saves the window as it is now to `file` (PNG). Returns false when it cannot be written.
bool captureWindow(MainWindow& window, const QString& file);

} // namespace bt::ui
