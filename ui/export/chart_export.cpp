#include "ui/export/chart_export.h"

#include <QBuffer>
#include <QChart>
#include <QChartView>
#include <QFile>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include "ui/charts/chart_support.h"
#include "ui/charts/run_chart.h"

namespace bt::ui {

namespace {

constexpr double kScreenDpi = 96.0;

QColor backgroundOf(const QList<QChartView*>& views) {
    if (views.isEmpty() || views.front()->chart() == nullptr) {
        return Qt::white;
    }
    // The themes paint the background with a gradient: take its first colour.
    const QBrush brush = views.front()->chart()->backgroundBrush();
    if (brush.gradient() != nullptr && !brush.gradient()->stops().isEmpty()) {
        return brush.gradient()->stops().front().second;
    }
    return brush.style() == Qt::NoBrush ? QColor(Qt::white) : brush.color();
}

} // namespace

bool writeAtomically(const QString& path, const QByteArray& bytes, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error != nullptr) {
            *error = QObject::tr("cannot write %1: %2").arg(path, file.errorString());
        }
        return false;
    }
    return true;
}

void renderCharts(const QList<QChartView*>& views, QPainter& painter, const QRectF& target,
                  const QSizeF& layoutSize) {
    if (views.isEmpty()) {
        return;
    }
    const double share = 1.0 / static_cast<double>(views.size());
    for (int i = 0; i < views.size(); ++i) {
        QChart* chart = views[i]->chart();
        const QRectF saved = chart->geometry();
        // Lay the chart out at the export's size, draw it, and give it back to its view.
        const QSizeF size(layoutSize.width() * share, layoutSize.height());
        chart->resize(size);
        if (chart->layout() != nullptr) {
            chart->layout()->activate();
        }
        const QRectF slot(target.left() + target.width() * share * i, target.top(),
                          target.width() * share, target.height());
        views[i]->scene()->render(&painter, slot, QRectF(chart->pos(), size),
                                  Qt::IgnoreAspectRatio);
        chart->setGeometry(saved);
        if (chart->layout() != nullptr) {
            chart->layout()->activate();
        }
    }
}

QImage renderChartImage(const QList<QChartView*>& views, const PngOptions& options) {
    const double ratio = std::max(0.25, options.dpi / kScreenDpi);
    QImage image(options.pixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(backgroundOf(views));
    image.setDevicePixelRatio(ratio);
    const int dotsPerMeter = static_cast<int>(std::lround(options.dpi / 0.0254));
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    const QSizeF logical(options.pixels.width() / ratio, options.pixels.height() / ratio);
    QPainter painter(&image);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                           QPainter::SmoothPixmapTransform);
    renderCharts(views, painter, QRectF(QPointF(0, 0), logical), logical);
    painter.end();
    return image;
}

bool exportPng(const QList<QChartView*>& views, const QString& path, const PngOptions& options,
               QString* error) {
    if (options.pixels.width() < 16 || options.pixels.height() < 16 ||
        options.pixels.width() > 20000 || options.pixels.height() > 20000) {
        if (error != nullptr) {
            *error = QObject::tr("%1: the image size must be 16 to 20000 pixels a side, not "
                                 "%2 × %3")
                         .arg(path)
                         .arg(options.pixels.width())
                         .arg(options.pixels.height());
        }
        return false;
    }
    if (options.dpi < 24 || options.dpi > 1200) {
        if (error != nullptr) {
            *error = QObject::tr("%1: the resolution must be 24 to 1200 DPI, not %2")
                         .arg(path)
                         .arg(options.dpi);
        }
        return false;
    }
    const QImage image = renderChartImage(views, options);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG")) {
        if (error != nullptr) {
            *error = QObject::tr("%1: the PNG could not be encoded").arg(path);
        }
        return false;
    }
    return writeAtomically(path, bytes, error);
}

bool exportSvg(const QList<QChartView*>& views, const QString& path, const QString& title,
               QString* error) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(kVectorLayoutSize);
    generator.setViewBox(QRect(QPoint(0, 0), kVectorLayoutSize));
    generator.setResolution(static_cast<int>(kScreenDpi));
    generator.setTitle(title);
    generator.setDescription(QObject::tr("Bilevel Tuner chart"));
    QPainter painter(&generator);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    painter.fillRect(QRect(QPoint(0, 0), kVectorLayoutSize), backgroundOf(views));
    renderCharts(views, painter, QRectF(QPointF(0, 0), QSizeF(kVectorLayoutSize)),
                 QSizeF(kVectorLayoutSize));
    painter.end();
    return writeAtomically(path, bytes, error);
}

bool exportPdf(const QList<QChartView*>& views, const QString& path, const QString& title,
               QString* error) {
    // QPdfWriter writes to a device: a buffer, then one atomic write.
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setTitle(title);
        writer.setCreator(QStringLiteral("Bilevel Tuner"));
        writer.setResolution(300);
        // A page of the chart's own proportions: 1 logical pixel = 1/96 inch.
        const QSizeF inches(kVectorLayoutSize.width() / kScreenDpi,
                            kVectorLayoutSize.height() / kScreenDpi);
        writer.setPageSize(QPageSize(inches, QPageSize::Inch, title, QPageSize::ExactMatch));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        QPainter painter(&writer);
        painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        const QRectF page(0, 0, writer.width(), writer.height());
        painter.fillRect(page, backgroundOf(views));
        renderCharts(views, painter, page, QSizeF(kVectorLayoutSize));
        painter.end();
    }
    return writeAtomically(path, bytes, error);
}

bool exportChart(const RunChart& chart, const QString& path, const PngOptions& png,
                 QString* error) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    const auto views = chart.chartViews();
    if (suffix == QStringLiteral("png")) {
        return exportPng(views, path, png, error);
    }
    if (suffix == QStringLiteral("svg")) {
        return exportSvg(views, path, chart.title(), error);
    }
    if (suffix == QStringLiteral("pdf")) {
        return exportPdf(views, path, chart.title(), error);
    }
    if (error != nullptr) {
        *error =
            QObject::tr("%1: unknown image format '%2'; use .png, .svg or .pdf").arg(path, suffix);
    }
    return false;
}

} // namespace bt::ui
