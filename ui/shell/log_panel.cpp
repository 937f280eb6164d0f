#include "ui/shell/log_panel.h"

#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QVBoxLayout>

namespace bt::ui {

LogPanel::LogPanel(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("logPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show:"), this));
    m_filter = new QComboBox(this);
    m_filter->setObjectName(QStringLiteral("logLevelFilter"));
    m_filter->setToolTip(tr("Show log records at this level and above"));
    for (const auto level :
         {spdlog::level::debug, spdlog::level::info, spdlog::level::warn, spdlog::level::err}) {
        m_filter->addItem(tr("%1 and above").arg(levelName(level)), static_cast<int>(level));
    }
    m_filter->setCurrentIndex(1);
    bar->addWidget(m_filter);
    bar->addStretch(1);
    auto* clearButton = new QPushButton(tr("Clear"), this);
    bar->addWidget(clearButton);
    layout->addLayout(bar);

    m_view = new QPlainTextEdit(this);
    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setReadOnly(true);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setMaximumBlockCount(static_cast<int>(kMaxRecords));
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_view, 1);

    connect(m_filter, &QComboBox::currentIndexChanged, this, [this](int index) {
        setMinimumLevel(static_cast<spdlog::level::level_enum>(m_filter->itemData(index).toInt()));
    });
    connect(clearButton, &QPushButton::clicked, this, &LogPanel::clear);
}

QString LogPanel::format(const LogRecord& record) {
    const auto time = QDateTime::fromMSecsSinceEpoch(record.msecsSinceEpoch)
                          .toString(QStringLiteral("HH:mm:ss.zzz"));
    return QStringLiteral("%1 [%2] %3: %4")
        .arg(time, levelName(record.level), record.logger, record.message);
}

void LogPanel::append(const LogRecord& record) {
    m_records.push_back(record);
    if (m_records.size() > kMaxRecords) {
        m_records.pop_front();
    }
    if (record.level >= m_minimum) {
        // Keep the view at the end only when the user has not scrolled up to read.
        auto* scroll = m_view->verticalScrollBar();
        const bool atEnd = scroll->value() == scroll->maximum();
        m_view->appendPlainText(format(record));
        if (atEnd) {
            scroll->setValue(scroll->maximum());
        }
    }
}

void LogPanel::setMinimumLevel(spdlog::level::level_enum level) {
    m_minimum = level;
    const int index = m_filter->findData(static_cast<int>(level));
    if (index >= 0 && index != m_filter->currentIndex()) {
        m_filter->setCurrentIndex(index);
    }
    rebuild();
}

void LogPanel::rebuild() {
    QStringList lines;
    for (const auto& record : m_records) {
        if (record.level >= m_minimum) {
            lines << format(record);
        }
    }
    m_view->setPlainText(lines.join(QLatin1Char('\n')));
    m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum());
}

QString LogPanel::text() const {
    return m_view->toPlainText();
}

void LogPanel::clear() {
    m_records.clear();
    m_view->clear();
}

} // namespace bt::ui
