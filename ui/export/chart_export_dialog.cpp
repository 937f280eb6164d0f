#include "ui/export/chart_export_dialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace bt::ui {

ChartExportDialog::ChartExportDialog(const QString& suggestedPath, const PngOptions& png,
                                     QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Export chart"));
    setObjectName(QStringLiteral("chartExportDialog"));
    auto* form = new QFormLayout(this);
    auto* row = new QHBoxLayout;
    m_path = new QLineEdit(suggestedPath, this);
    m_path->setMinimumWidth(360);
    m_path->setToolTip(tr("The format follows the extension: .png, .svg or .pdf"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    row->addWidget(m_path, 1);
    row->addWidget(browse);
    form->addRow(tr("File:"), row);
    m_width = new QSpinBox(this);
    m_width->setRange(16, 20000);
    m_width->setValue(png.pixels.width());
    m_width->setSuffix(tr(" px"));
    m_height = new QSpinBox(this);
    m_height->setRange(16, 20000);
    m_height->setValue(png.pixels.height());
    m_height->setSuffix(tr(" px"));
    m_dpi = new QSpinBox(this);
    m_dpi->setRange(24, 1200);
    m_dpi->setValue(png.dpi);
    m_dpi->setSuffix(tr(" DPI"));
    m_dpi->setToolTip(tr("96 DPI lays the chart out at the image's size; 192 DPI at half of it, "
                         "drawn twice as sharp"));
    form->addRow(tr("PNG width:"), m_width);
    form->addRow(tr("PNG height:"), m_height);
    form->addRow(tr("PNG resolution:"), m_dpi);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_path, &QLineEdit::textChanged, this, &ChartExportDialog::updateFormat);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString chosen = QFileDialog::getSaveFileName(
            this, tr("Export chart"), m_path->text(),
            tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
        if (!chosen.isEmpty()) {
            m_path->setText(chosen);
        }
    });
    updateFormat();
}

void ChartExportDialog::updateFormat() {
    const bool png =
        QFileInfo(m_path->text()).suffix().compare(QStringLiteral("png"), Qt::CaseInsensitive) == 0;
    m_width->setEnabled(png);
    m_height->setEnabled(png);
    m_dpi->setEnabled(png);
}

QString ChartExportDialog::path() const {
    return m_path->text().trimmed();
}

PngOptions ChartExportDialog::pngOptions() const {
    return PngOptions{QSize(m_width->value(), m_height->value()), m_dpi->value()};
}

} // namespace bt::ui
