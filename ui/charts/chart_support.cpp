#include "ui/charts/chart_support.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <QAbstractAxis>
#include <QApplication>
#include <QChart>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLogValueAxis>
#include <QPalette>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

namespace bt::ui {

qsizetype nearestPoint(const QList<QPointF>& points, const QPointF& point) {
    qsizetype nearest = -1;
    double best = std::numeric_limits<double>::infinity();
    for (qsizetype i = 0; i < points.size(); ++i) {
        const QPointF d = points[i] - point;
        if (const double distance = QPointF::dotProduct(d, d); distance < best) {
            best = distance;
            nearest = i;
        }
    }
    return nearest;
}

QList<QPointF> thinPoints(const QList<QPointF>& points, int maxPoints) {
    const auto n = points.size();
    if (maxPoints < 4 || n <= maxPoints) {
        return points;
    }
    const qsizetype buckets = maxPoints / 2 - 1;
    QList<QPointF> out;
    out.reserve(maxPoints);
    out.push_back(points.front());
    // Interior points only: the ends are kept exactly.
    const qsizetype interior = n - 2;
    for (qsizetype b = 0; b < buckets; ++b) {
        const qsizetype begin = 1 + interior * b / buckets;
        const qsizetype end = 1 + interior * (b + 1) / buckets;
        if (begin >= end) {
            continue;
        }
        qsizetype low = begin;
        qsizetype high = begin;
        for (qsizetype i = begin + 1; i < end; ++i) {
            if (points[i].y() < points[low].y()) {
                low = i;
            }
            if (points[i].y() > points[high].y()) {
                high = i;
            }
        }
        out.push_back(points[std::min(low, high)]);
        if (low != high) {
            out.push_back(points[std::max(low, high)]);
        }
    }
    out.push_back(points.back());
    return out;
}

QColor methodColor(const std::string& method) {
    if (method == "bilevel") {
        return QColor(0xd6, 0x27, 0x28); // red: the method under study stands out
    }
    if (method == "grid") {
        return QColor(0x1f, 0x77, 0xb4);
    }
    if (method == "random") {
        return QColor(0x2c, 0xa0, 0x2c);
    }
    if (method == "bayesian") {
        return QColor(0x94, 0x67, 0xbd);
    }
    if (method == "hyperband") {
        return QColor(0xff, 0x7f, 0x0e);
    }
    return QColor(0x7f, 0x7f, 0x7f);
}

Qt::PenStyle methodLineStyle(const std::string& method) {
    if (method == "grid") {
        return Qt::DashLine;
    }
    if (method == "random") {
        return Qt::DotLine;
    }
    if (method == "bayesian") {
        return Qt::DashDotLine;
    }
    if (method == "hyperband") {
        return Qt::DashDotDotLine;
    }
    return Qt::SolidLine;
}

QColor seriesColor(int index) {
    static const std::array<QColor, 8> colours{QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
                                               QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
                                               QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                               QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf)};
    return colours[static_cast<std::size_t>(index) % colours.size()];
}

bool darkPalette() {
    const auto palette = QApplication::palette();
    return palette.color(QPalette::WindowText).lightness() >
           palette.color(QPalette::Window).lightness();
}

void styleChart(QChart* chart, const QString& title) {
    chart->setTheme(darkPalette() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setTitle(title);
    QFont titleFont = chart->titleFont();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setShowToolTips(true);
    chart->setMargins(QMargins(6, 6, 6, 6));
    chart->setAnimationOptions(QChart::NoAnimation); // live data: animations would lag behind
}

void setPaddedRange(QValueAxis* axis, double low, double high) {
    if (!std::isfinite(low) || !std::isfinite(high)) {
        low = 0.0;
        high = 1.0;
    }
    if (high < low) {
        std::swap(low, high);
    }
    double span = high - low;
    if (span <= 1e-12 * std::max(1.0, std::abs(high))) {
        span = std::max(std::abs(high) * 0.1, 1e-6);
        low -= span / 2;
        high += span / 2;
    }
    setAxisRange(axis, low - 0.05 * span, high + 0.05 * span);
}

void setAxisRange(QValueAxis* axis, double low, double high, int ticks) {
    // Fixed ticks while the range changes: dynamic ticks at the old interval over a much wider
    // new range would make the axis create one item per tick, hundreds of thousands of them.
    axis->setTickType(QValueAxis::TicksFixed);
    axis->setRange(low, high);
    // Ticks at round values ("0.25", "100") anchored at 0, not at the data's own ends
    // ("0.7537"), while the range stays the data's.
    const double span = high - low;
    if (!(span > 0.0) || !std::isfinite(span)) {
        return;
    }
    const double raw = span / std::max(ticks, 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (m * magnitude >= raw) {
            step = m * magnitude;
            break;
        }
    }
    axis->setTickAnchor(0.0);
    axis->setTickInterval(step);
    // As many decimals as the step has (0.25: two), so that every label is its tick's value.
    int decimals = 0;
    while (decimals < 12) {
        const double scaled = step * std::pow(10.0, decimals);
        if (std::abs(scaled - std::round(scaled)) < 1e-6 * scaled) {
            break;
        }
        ++decimals;
    }
    axis->setLabelFormat(QStringLiteral("%.") + QString::number(decimals) + QLatin1Char('f'));
    axis->setTickType(QValueAxis::TicksDynamic);
}

void setOuterIterationRange(QValueAxis* axis, int outerTotal, double low) {
    const int total = std::max(1, outerTotal);
    // A margin beyond the first and the last iteration, so that their markers show whole (not
    // half cut at the plot's edge); the ticks stay on whole iterations.
    const double margin = std::max(0.15, 0.03 * total);
    axis->setTickType(QValueAxis::TicksFixed); // see setAxisRange
    axis->setRange(std::min(low, 0.0) - margin, total + margin);
    axis->setTickAnchor(0.0);
    axis->setTickInterval((total + 9) / 10);
    axis->setLabelFormat(QStringLiteral("%.0f"));
    axis->setTickType(QValueAxis::TicksDynamic);
}

QValueAxis* makeValueAxis(const QString& title, double low, double high) {
    auto* axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setLabelFormat(QStringLiteral("%.4g"));
    setPaddedRange(axis, low, high);
    return axis;
}

QValueAxis* makeOuterIterationAxis() {
    auto* axis = makeValueAxis(QObject::tr("outer iteration (inner steps in between)"), 0.0, 1.0);
    setOuterIterationRange(axis, 1);
    return axis;
}

QLogValueAxis* makeLogAxis(const QString& title) {
    auto* axis = new QLogValueAxis;
    axis->setTitleText(title);
    axis->setBase(10.0);
    axis->setLabelFormat(QStringLiteral("%.0e"));
    axis->setMinorTickCount(-1);
    return axis;
}

QColor neutralColor(bool stronger) {
    if (darkPalette()) {
        return stronger ? QColor(200, 200, 200) : QColor(165, 165, 165);
    }
    return stronger ? QColor(120, 120, 120) : QColor(150, 150, 150);
}

MarkerStyle neutralMarker(QScatterSeries::MarkerShape shape, double size, bool stronger) {
    if (darkPalette()) {
        return {shape, size, neutralColor(stronger),
                stronger ? QColor(245, 245, 245) : QColor(220, 220, 220)};
    }
    return {shape, size, neutralColor(stronger),
            stronger ? QColor(60, 60, 60) : QColor(90, 90, 90)};
}

QScatterSeries* addScatterSeries(QChart* chart, const QString& name, const MarkerStyle& style,
                                 QAbstractAxis* x, QAbstractAxis* y) {
    auto* series = new QScatterSeries;
    series->setName(name);
    series->setMarkerShape(style.shape);
    series->setMarkerSize(style.size);
    series->setColor(style.fill);
    series->setBorderColor(style.border);
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
    return series;
}

QScatterSeries* addStarSeries(QChart* chart, const QString& name, QAbstractAxis* x,
                              QAbstractAxis* y) {
    return addScatterSeries(
        chart, name,
        {QScatterSeries::MarkerShapeStar, 20.0, QColor(0xff, 0xd7, 0x00), QColor(40, 40, 40)}, x,
        y);
}

void softenMinorGrid(QAbstractAxis* axis) {
    const QColor minor = darkPalette() ? QColor(255, 255, 255, 30) : QColor(0, 0, 0, 24);
    axis->setMinorGridLinePen(QPen(minor, 1.0, Qt::DotLine));
}

void setDecadeRange(QLogValueAxis* axis, double low, double high) {
    if (!(low > 0.0) || !std::isfinite(low) || !(high > 0.0) || !std::isfinite(high)) {
        axis->setRange(1e-6, 1.0);
        return;
    }
    const double lo = std::pow(10.0, std::floor(std::log10(low)));
    double hi = std::pow(10.0, std::ceil(std::log10(high)));
    if (hi <= lo) {
        hi = lo * 10.0;
    }
    // Qt labels the decades from the ceiling of the minimum's logarithm, which for 10^k can come
    // out a hair above k: the lowest decade's label was lost (of [0.1, 1] only "1e+00" showed).
    // A minimum just below the decade keeps it.
    axis->setRange(lo * (1.0 - 1e-9), hi);
}

double outerAxisPosition(const events::InnerProgressEvent& step) {
    const double fraction =
        step.totalSteps > 0 ? static_cast<double>(step.step) / step.totalSteps : 0.0;
    return step.outerIteration - 1 + std::clamp(fraction, 0.0, 1.0);
}

void hideFromLegend(QChart* chart, QAbstractSeries* series, bool hidden) {
    bool changed = false;
    for (auto* marker : chart->legend()->markers(series)) {
        changed = changed || marker->isVisible() == hidden;
        marker->setVisible(!hidden);
    }
    // Qt Charts lays its legend out again when markers come or go, not when one is shown or
    // hidden: an entry shown after a layout without it kept no place of its own and was drawn
    // over its neighbour's label.
    if (changed && chart->legend()->layout() != nullptr) {
        chart->legend()->layout()->invalidate();
    }
}

QColor viridis(double t) {
    // Nine stops of matplotlib's viridis, interpolated linearly.
    static const std::array<std::array<double, 3>, 9> stops{{{0.267, 0.005, 0.329},
                                                             {0.278, 0.175, 0.483},
                                                             {0.230, 0.322, 0.546},
                                                             {0.173, 0.449, 0.558},
                                                             {0.128, 0.567, 0.551},
                                                             {0.153, 0.683, 0.502},
                                                             {0.369, 0.789, 0.383},
                                                             {0.678, 0.864, 0.190},
                                                             {0.993, 0.906, 0.144}}};
    if (!std::isfinite(t)) {
        return QColor(128, 128, 128);
    }
    t = std::clamp(t, 0.0, 1.0) * static_cast<double>(stops.size() - 1);
    const auto i = std::min(static_cast<std::size_t>(t), stops.size() - 2);
    const double f = t - static_cast<double>(i);
    std::array<int, 3> rgb{};
    for (std::size_t c = 0; c < 3; ++c) {
        rgb[c] =
            static_cast<int>(std::lround(255.0 * (stops[i][c] * (1 - f) + stops[i + 1][c] * f)));
    }
    return QColor(rgb[0], rgb[1], rgb[2]);
}

QImage heatMapImage(const std::vector<double>& values, int m, double* low, double* high) {
    QImage image(m, m, QImage::Format_RGB32);
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    for (const double v : values) {
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    const double span = hi > lo ? hi - lo : 1.0;
    for (int iy = 0; iy < m; ++iy) {
        auto* row = reinterpret_cast<QRgb*>(image.scanLine(m - 1 - iy));
        for (int ix = 0; ix < m; ++ix) {
            const double v = values[static_cast<std::size_t>(iy) * static_cast<std::size_t>(m) +
                                    static_cast<std::size_t>(ix)];
            row[ix] = viridis((v - lo) / span).rgb();
        }
    }
    if (low != nullptr) {
        *low = lo;
    }
    if (high != nullptr) {
        *high = hi;
    }
    return image;
}

} // namespace bt::ui
