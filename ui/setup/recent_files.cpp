#include "ui/setup/recent_files.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace bt::ui {

namespace {

constexpr auto kKey = "setup/recentConfigs";

} // namespace

RecentFiles::RecentFiles(QMenu* menu, QObject* parent) : QObject(parent), m_menu(menu) {
    connect(m_menu, &QMenu::aboutToShow, this, &RecentFiles::fillMenu);
    fillMenu(); // so that the menu is disabled from the start when there is nothing
}

void RecentFiles::add(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = QSettings().value(QLatin1String(kKey)).toStringList();
    list.removeAll(absolute);
    list.prepend(absolute);
    store(list);
    refillLater();
}

QStringList RecentFiles::files() {
    const QStringList stored = QSettings().value(QLatin1String(kKey)).toStringList();
    QStringList present;
    for (const auto& file : stored) {
        if (QFileInfo::exists(file) && !present.contains(file)) {
            present << file;
        }
    }
    if (present != stored) {
        store(present);
    }
    return present;
}

void RecentFiles::clear() {
    store({});
    refillLater();
}

void RecentFiles::refillLater() {
    // Not at once: add() and clear() are called from an entry's own signal (open a recent file,
    // clear the list), and refilling deletes the entries.
    QMetaObject::invokeMethod(this, &RecentFiles::fillMenu, Qt::QueuedConnection);
}

void RecentFiles::store(const QStringList& files) {
    QSettings().setValue(QLatin1String(kKey), files.mid(0, kMax));
}

void RecentFiles::fillMenu() {
    m_menu->clear();
    const auto list = files();
    int n = 0;
    for (const auto& file : list) {
        const QFileInfo info(file);
        // "&1 mnist-5k.json  (~/configs)": the number is the entry's key.
        auto* action = m_menu->addAction(
            QStringLiteral("&%1 %2  (%3)")
                .arg(++n)
                .arg(info.fileName(), QDir::toNativeSeparators(info.absolutePath())));
        action->setToolTip(file);
        connect(action, &QAction::triggered, this, [this, file] { Q_EMIT openRequested(file); });
    }
    if (!list.isEmpty()) {
        m_menu->addSeparator();
        m_menu->addAction(tr("Clear the list"), this, &RecentFiles::clear);
    }
    m_listed = static_cast<int>(list.size());
    m_menu->setEnabled(m_listed > 0);
}

} // namespace bt::ui
