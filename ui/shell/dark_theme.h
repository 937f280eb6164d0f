#pragma once

#include <QPalette>

class QStyle;

namespace bt::ui {

/// The palette of `--dark`: light text on dark grey, whatever the desktop's theme.
QPalette makeDarkPalette();

/// Fusion for the dark palette. Fusion outlines a check box or radio button in the window's
/// colour made darker, which on a list's dark base (the form's methods) left an unchecked box
/// all but invisible; here the outline is a mid grey, visible on the window and on the base.
/// The caller owns the style (QApplication::setStyle takes it).
QStyle* makeDarkStyle();

/// Both, for the whole application, before any window (the charts pick their theme from the
/// palette when they are made).
void useDarkTheme();

} // namespace bt::ui
