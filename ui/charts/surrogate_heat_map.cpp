// SurrogateChart's heat map of φ̂ over two entries of λ: the samples, the path, the current λ (λ*
// once the method has finished) and the posterior mean as the plot area's background (split from
// surrogate_chart.cpp).
#include "ui/charts/surrogate_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QAreaSeries>
#include <QChart>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QValueAxis>

#include "ui/charts/chart_support.h"
#include "ui/session/run_data.h"

namespace bt::ui {

void SurrogateChart::drawMap(const RunData& run, int dx, int dy) {
    const auto kx = static_cast<std::size_t>(dx);
    const auto ky = static_cast<std::size_t>(dy);
    const QString nameX = QString::fromStdString(run.lambdaLabel(dx));
    const QString nameY = QString::fromStdString(run.lambdaLabel(dy));
    if (dx == dy) {
        m_mapChart->setTitle(tr("Surrogate φ̂: choose two different dimensions"));
        m_heat = QImage();
        updateHeatBrush();
        return;
    }
    // The posterior over this pair once it has arrived (another pair's is not drawn).
    const gp::PosteriorSurface* surface =
        m_grid->surface && m_gridKey.surfaceX == dx && m_gridKey.surfaceY == dy ? &*m_grid->surface
                                                                                : nullptr;
    m_mapX->setTitleText(tr("%1 = ln(L2 coefficient)").arg(nameX));
    m_mapY->setTitleText(tr("%1 = ln(L2 coefficient)").arg(nameY));
    // Padded, so that samples and the path on the box's edges show whole; the heat image
    // covers the box alone (updateHeatBrush).
    setPaddedRange(m_mapX, run.lower()[kx], run.upper()[kx]);
    setPaddedRange(m_mapY, run.lower()[ky], run.upper()[ky]);
    m_mapBox = QRectF(QPointF(run.lower()[kx], run.lower()[ky]),
                      QPointF(run.upper()[kx], run.upper()[ky]));

    std::vector<std::vector<double>> xs;
    std::vector<double> ys;
    run.phiSamples(std::numeric_limits<std::size_t>::max(), xs, ys);
    drawHeat(surface, nameX, nameY,
             !ys.empty() && std::all_of(ys.begin(), ys.end(), [](double y) { return y >= 0.0; }));
    QList<QPointF> samples;
    for (const auto& x : xs) {
        samples.append({x[kx], x[ky]});
    }
    m_mapSamples->replace(samples);
    QList<QPointF> path;
    const auto start = run.startLambda();
    if (start.size() > std::max(kx, ky)) {
        path.append({start[kx], start[ky]});
    }
    for (const auto& it : run.outerIterations()) {
        path.append({it.lambda[kx], it.lambda[ky]});
    }
    const auto current = run.currentLambda();
    if (current.size() > std::max(kx, ky)) {
        path.append({current[kx], current[ky]});
    }
    m_mapPath->replace(path);
    // The star: the current λ while the method runs, then λ* (ALGORITHM.md §3.5), which under
    // variant select is a training's λ and need not lie on the path.
    const auto marked = run.markedLambda();
    m_mapCurrent->setName(markerName(run));
    if (marked.size() > std::max(kx, ky)) {
        m_mapCurrent->replace(QList<QPointF>{{marked[kx], marked[ky]}});
    } else {
        m_mapCurrent->clear();
    }
    updateHeatBrush();
}

namespace {

/// What the heat map shades, as its title and colour key name it.
QString shadingName(SurrogateChart::Shading shading) {
    return shading == SurrogateChart::Shading::StdDev ? SurrogateChart::tr("σ of φ̂")
                                                      : SurrogateChart::tr("φ̂ mean");
}

} // namespace

QString SurrogateChart::colourKeyText(Shading shading, double low, double high,
                                      bool samplesNonNegative) {
    const bool sigma = shading == Shading::StdDev;
    QString text =
        tr("%1: %2 … %3")
            .arg(shadingName(shading), QString::number(low, 'g', 3), QString::number(high, 'g', 3));
    // A training loss is never negative; a mean below 0 is the GP's error (it overshoots
    // between samples and extrapolates past them), which the key says rather than hides.
    if (!sigma && low < 0.0 && samplesNonNegative) {
        text += tr(" (φ ≥ 0: below 0 is the GP's error)");
    }
    return text;
}

void SurrogateChart::drawHeat(const gp::PosteriorSurface* surface, const QString& nameX,
                              const QString& nameY, bool samplesNonNegative) {
    const bool sigma = m_shading == Shading::StdDev;
    const QString what = shadingName(m_shading);
    m_mapChart->setTitle(m_dimension == 2
                             ? tr("Surrogate φ̂ heat map (%1), samples and λ path").arg(what)
                             : tr("φ̂: slice over (%1, %2), %3").arg(nameX, nameY, what));
    if (surface == nullptr) {
        m_heat = QImage();
        m_colourKey->setName(what);
        return;
    }
    double low = 0.0;
    double high = 0.0;
    m_heat = heatMapImage(sigma ? surface->stddev : surface->mean, surface->size, &low, &high);
    QLinearGradient gradient(0, 0, 1, 0);
    gradient.setCoordinateMode(QGradient::ObjectMode);
    for (int i = 0; i <= 8; ++i) {
        gradient.setColorAt(i / 8.0, viridis(i / 8.0));
    }
    m_colourKey->setBrush(gradient);
    m_colourKey->setName(colourKeyText(m_shading, low, high, samplesNonNegative));
}

void SurrogateChart::updateHeatBrush() {
    if (m_heat.isNull() || m_dimension < 2) {
        m_mapChart->setPlotAreaBackgroundVisible(false);
        return;
    }
    const QRectF plot = m_mapChart->plotArea();
    if (plot.width() < 2 || plot.height() < 2) {
        return;
    }
    // The image is stretched over the box's part of the plot area (the axes are padded around
    // the box) on a transparent canvas the size of the plot area, and the brush anchored at its
    // corner: brushes tile from the chart item's origin.
    const QPointF topLeft =
        m_mapChart->mapToPosition({m_mapBox.left(), m_mapBox.bottom()}, m_mapSamples);
    const QPointF bottomRight =
        m_mapChart->mapToPosition({m_mapBox.right(), m_mapBox.top()}, m_mapSamples);
    QImage canvas(plot.size().toSize(), QImage::Format_ARGB32_Premultiplied);
    canvas.fill(Qt::transparent);
    {
        QPainter painter(&canvas);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.drawImage(QRectF(topLeft - plot.topLeft(), bottomRight - plot.topLeft()), m_heat);
    }
    QBrush brush(canvas);
    brush.setTransform(QTransform::fromTranslate(plot.left(), plot.top()));
    m_mapChart->setPlotAreaBackgroundBrush(brush);
    m_mapChart->setPlotAreaBackgroundPen(Qt::NoPen);
    m_mapChart->setPlotAreaBackgroundVisible(true);
}

} // namespace bt::ui
