#include "ui/charts/loss_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include "ui/charts/chart_support.h"
#include "ui/charts/chart_view.h"
#include "ui/session/run_data.h"

namespace bt::ui {

namespace {

QColor faded(QColor colour) {
    colour.setAlpha(90);
    return colour;
}

} // namespace

LossChart::LossChart(QWidget* parent) : SingleViewChart(parent) {
    setObjectName(QStringLiteral("lossChart"));
    m_chart = new QChart;
    styleChart(m_chart, tr("Losses along the bilevel path"));
    m_x = makeOuterIterationAxis();
    m_y = makeValueAxis(tr("loss (training objective units)"), 0.0, 1.0);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);

    auto line = [this](const QString& name, const QPen& pen, bool points, bool legend) {
        auto* s = new QLineSeries;
        s->setName(name);
        s->setPen(pen);
        s->setPointsVisible(points);
        m_chart->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(m_y);
        if (!legend) {
            hideFromLegend(m_chart, s);
        }
        return s;
    };
    const QColor upperColour = methodColor("bilevel");
    const QColor lowerColour = seriesColor(0);
    const QColor phiColour = seriesColor(2);
    // The inner steps' minibatch values, thin and faint in their quantity's colour, under one
    // grey legend entry (seven would not fit a narrow chart).
    m_innerUpper = line(tr("thin: minibatch"), QPen(faded(upperColour), 1.0), false, true);
    m_innerLower = line(tr("f (minibatch)"), QPen(faded(lowerColour), 1.0), false, false);
    m_innerPhiHat = line(tr("φ̂ (minibatch)"), QPen(faded(phiColour), 1.0), false, false);
    for (auto* marker : m_chart->legend()->markers(m_innerUpper)) {
        marker->setBrush(QColor(150, 150, 150));
        marker->setPen(QPen(QColor(110, 110, 110)));
    }
    m_upper = line(tr("F (validation)"), QPen(upperColour, 2.5), true, true);
    m_lower = line(tr("f (training)"), QPen(lowerColour, 2.5), true, true);
    m_phiHat = line(tr("φ̂ (GP mean)"), QPen(phiColour, 2.0, Qt::DashLine), true, true);
    // Not the GP mean's green: a sample and the surrogate's mean are different things.
    m_phiSampled = addScatterSeries(
        m_chart, tr("φ sampled"),
        {QScatterSeries::MarkerShapeRectangle, 9.0, seriesColor(4), seriesColor(4).darker(140)},
        m_x, m_y);

    // Every series is drawn at the outer iterations: a hover there gives the iteration's record.
    m_view = fillWithChart(this, m_chart, [this](const QXYSeries*, const QPointF& point) {
        return m_data != nullptr ? m_data->outerIterationTextAt(point.x()) : QString();
    });
}

void LossChart::refresh(const RunData& run) {
    m_data = &run;
    const int outerTotal = std::max(1, run.config().bilevel.outerIterationCount());
    // "No bilevel method" is said of a run, not of the empty view before the first run.
    m_chart->setTitle(run.empty() || run.hasBilevel()
                          ? tr("Losses along the bilevel path")
                          : tr("Losses (no bilevel method in this run)"));
    setOuterIterationRange(m_x, outerTotal);
    double low = std::numeric_limits<double>::infinity();
    double high = -std::numeric_limits<double>::infinity();
    auto track = [&](double v) {
        if (std::isfinite(v)) {
            low = std::min(low, v);
            high = std::max(high, v);
        }
        return v;
    };
    QList<QPointF> iu, il, ip;
    for (const auto& step : run.innerSteps()) {
        const double x = outerAxisPosition(step);
        iu.append({x, track(step.upperLoss)});
        il.append({x, track(step.lowerObjective)});
        ip.append({x, track(step.phiHat)});
    }
    QList<QPointF> u, l, p, ps;
    for (const auto& it : run.outerIterations()) {
        const double x = it.iteration;
        u.append({x, track(it.upperLoss)});
        l.append({x, track(it.lowerObjective)});
        p.append({x, track(it.phiHat)});
        if (std::isfinite(it.phiSampled)) {
            ps.append({x, track(it.phiSampled)});
        }
    }
    m_innerUpper->replace(thinPoints(iu, kMaxInnerPoints));
    m_innerLower->replace(thinPoints(il, kMaxInnerPoints));
    m_innerPhiHat->replace(thinPoints(ip, kMaxInnerPoints));
    m_upper->replace(u);
    m_lower->replace(l);
    m_phiHat->replace(p);
    m_phiSampled->replace(ps);
    if (std::isfinite(low)) {
        setPaddedRange(m_y, low, high);
    }
}

QList<QPointF> LossChart::upperPoints() const {
    return m_upper->points();
}
QList<QPointF> LossChart::lowerPoints() const {
    return m_lower->points();
}
QList<QPointF> LossChart::phiHatPoints() const {
    return m_phiHat->points();
}
QList<QPointF> LossChart::phiSampledPoints() const {
    return m_phiSampled->points();
}

} // namespace bt::ui
