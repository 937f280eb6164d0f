#pragma once

class QDockWidget;
class QMainWindow;
class QSplitter;

namespace bt::ui {

/// Sizes a main window that has no remembered geometry for the screen it opens on: 1320 × 860,
/// or three quarters of a large screen, never more than fits and never below the window's
/// minimum; the form (`splitter`'s first pane) a third of the width within readable bounds; on a
/// short screen (< 800 px) the `log` dock at its least height, once the window is laid out.
void fitFirstWindow(QMainWindow& window, QSplitter& splitter, QDockWidget& log);

} // namespace bt::ui
