#pragma once

#include <QImage>
#include <QList>
#include <QSize>
#include <QString>

class QChartView;
class QPainter;
class QRectF;

namespace bt::ui {

class RunChart;

/// How a chart is written as PNG: its size in pixels and its resolution. The chart is laid
/// out at size ÷ (dpi ÷ 96) logical pixels and drawn at dpi ÷ 96 device pixels per logical
/// one, so that a 2× DPI image holds the same layout as a 1× image, with sharper text.
struct PngOptions {
    QSize pixels{1600, 1000};
    int dpi = 192;
};

/// The logical size SVG and PDF exports lay charts out at (they are vector: no DPI).
inline constexpr QSize kVectorLayoutSize{1000, 625};

/// Draws `views`' charts side by side into `target` of `painter`, each laid out at its share of
/// `layoutSize` (logical pixels) for the time of the drawing, then put back as it was.
void renderCharts(const QList<QChartView*>& views, QPainter& painter, const QRectF& target,
                  const QSizeF& layoutSize);

/// Writes `chart` (all of its views) as PNG, SVG or PDF, by the file name's extension
/// (.png, .svg, .pdf; case-insensitive). The file is written to a temporary name and renamed,
/// so that a failed export leaves no half-written file.
/// @return false with `error` naming the file and the reason
bool exportChart(const RunChart& chart, const QString& path, const PngOptions& png, QString* error);

bool exportPng(const QList<QChartView*>& views, const QString& path, const PngOptions& options,
               QString* error);
bool exportSvg(const QList<QChartView*>& views, const QString& path, const QString& title,
               QString* error);
bool exportPdf(const QList<QChartView*>& views, const QString& path, const QString& title,
               QString* error);

/// Writes `bytes` to `path` through a temporary name that is renamed at the end, so that a
/// failed write leaves no half-written file (charts, reports, run data, tables, configurations).
/// @return false with `error` (when not null) naming the file and the reason
bool writeAtomically(const QString& path, const QByteArray& bytes, QString* error);

/// The charts rendered into an image of `pixels` at `dpi` (for reports and previews).
QImage renderChartImage(const QList<QChartView*>& views, const PngOptions& options);

} // namespace bt::ui
