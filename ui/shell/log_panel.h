#pragma once

#include <deque>

#include <QWidget>

#include "ui/shell/log_record.h"

class QComboBox;
class QPlainTextEdit;

namespace bt::ui {

/// The log of this session: spdlog records as the RunController delivers them, with a level
/// filter. Keeps the last kMaxRecords records so that changing the filter can show earlier ones.
class LogPanel : public QWidget {
    Q_OBJECT

public:
    static constexpr std::size_t kMaxRecords = 20000;

    explicit LogPanel(QWidget* parent = nullptr);

    /// Appends one record (shown when it passes the filter).
    void append(const bt::ui::LogRecord& record);
    /// Shows records at `level` and above.
    void setMinimumLevel(spdlog::level::level_enum level);
    spdlog::level::level_enum minimumLevel() const { return m_minimum; }
    /// The shown text, one line per record (for tests and the report).
    QString text() const;
    /// Every kept record, whatever the filter.
    const std::deque<LogRecord>& records() const { return m_records; }
    void clear();

private:
    void rebuild();
    static QString format(const LogRecord& record);

    std::deque<LogRecord> m_records;
    spdlog::level::level_enum m_minimum = spdlog::level::info;
    QComboBox* m_filter = nullptr;
    QPlainTextEdit* m_view = nullptr;
};

} // namespace bt::ui
