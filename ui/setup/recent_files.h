#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace bt::ui {

/// The run configurations opened or saved last, newest first, kept across sessions (QSettings
/// "setup/recentConfigs"), at most kMax: File ▸ Open recent lists them (numbered, the file's
/// name and its folder), drops those no longer on disk when it opens, and offers to clear them.
class RecentFiles : public QObject {
    Q_OBJECT

public:
    static constexpr int kMax = 8;

    /// Fills `menu` each time it is about to show; the menu stays the caller's.
    RecentFiles(QMenu* menu, QObject* parent);

    /// Puts `path` (made absolute) first; the menu follows at the next turn of the event loop.
    void add(const QString& path);
    /// The files, newest first, those missing on disk left out (and forgotten).
    QStringList files();
    void clear();
    /// How many files the menu listed when last filled (no disk or settings read).
    int listed() const { return m_listed; }

Q_SIGNALS:
    void openRequested(const QString& path);

private:
    void fillMenu();
    void refillLater();
    void store(const QStringList& files);
    QMenu* m_menu;
    int m_listed = 0;
};

} // namespace bt::ui
