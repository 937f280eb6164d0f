#pragma once

#include <QDialog>

#include "ui/export/chart_export.h"

class QLineEdit;
class QSpinBox;

namespace bt::ui {

/// Asks where to export a chart and, for PNG, its size in pixels and its resolution. The format
/// follows the file name's extension (.png, .svg, .pdf).
class ChartExportDialog : public QDialog {
    Q_OBJECT

public:
    ChartExportDialog(const QString& suggestedPath, const PngOptions& png,
                      QWidget* parent = nullptr);

    QString path() const;
    PngOptions pngOptions() const;

private:
    void updateFormat();

    QLineEdit* m_path = nullptr;
    QSpinBox* m_width = nullptr;
    QSpinBox* m_height = nullptr;
    QSpinBox* m_dpi = nullptr;
};

} // namespace bt::ui
