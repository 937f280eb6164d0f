#include "ui/charts/constraint_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>

#include "ui/charts/chart_support.h"
#include "ui/charts/chart_view.h"
#include "ui/session/run_data.h"

namespace bt::ui {

namespace {

QLineSeries* addLine(QChart* chart, const QString& name, const QPen& pen, QAbstractAxis* x,
                     QAbstractAxis* y, bool points) {
    auto* s = new QLineSeries;
    s->setName(name);
    s->setPen(pen);
    s->setPointsVisible(points);
    chart->addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
    return s;
}

} // namespace

ConstraintChart::ConstraintChart(QWidget* parent) : RunChart(parent) {
    setObjectName(QStringLiteral("constraintChart"));
    m_chart = new QChart;
    styleChart(m_chart, tr("Constraint violation |h| and the augmented Lagrangian's μ and r"));
    m_x = makeOuterIterationAxis();
    m_h = makeLogAxis(tr("|h| = |f − φ| (loss units, log scale)"));
    m_penalty = makeValueAxis(tr("μ and r (multiplier, penalty)"), 0.0, 1.0);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_h, Qt::AlignLeft);
    m_chart->addAxis(m_penalty, Qt::AlignRight);

    softenMinorGrid(m_h);
    // The faint minibatch line is lighter on the dark theme, where the blue would vanish.
    QColor innerColour = darkPalette() ? seriesColor(0).lighter(170) : seriesColor(0);
    innerColour.setAlpha(darkPalette() ? 150 : 110);
    m_inner = addLine(m_chart, tr("|h| (minibatch)"), QPen(innerColour, 1.0), m_x, m_h, false);
    m_sampled = addLine(m_chart, tr("|h| (sampled φ)"), QPen(seriesColor(0), 2.5), m_x, m_h, true);
    m_surrogate =
        addLine(m_chart, tr("|h| (GP φ̂)"), QPen(seriesColor(1), 2.0, Qt::DashLine), m_x, m_h, true);
    m_mu = addLine(m_chart, tr("μ (right)"), QPen(seriesColor(2), 2.0), m_x, m_penalty, true);
    m_r = addLine(m_chart, tr("r (right)"), QPen(seriesColor(4), 2.0, Qt::DotLine), m_x, m_penalty,
                  true);

    // Every series is drawn at the outer iterations: a hover there gives the iteration's record.
    m_view = fillWithChart(this, m_chart, [this](const QXYSeries*, const QPointF& point) {
        return m_data != nullptr ? m_data->outerIterationTextAt(point.x()) : QString();
    });
}

void ConstraintChart::refresh(const RunData& run) {
    m_data = &run;
    const int outerTotal = std::max(1, run.config().bilevel.outerIterationCount());
    // "No bilevel method" is said of a run, not of the empty view before the first run.
    m_chart->setTitle(run.empty() || run.hasBilevel()
                          ? tr("Constraint violation |h| and the augmented Lagrangian's μ and r")
                          : tr("Constraint violation |h| (no bilevel method in this run)"));
    setOuterIterationRange(m_x, outerTotal);

    double hLow = std::numeric_limits<double>::infinity();
    double hHigh = 0.0;
    auto magnitude = [&](double h) {
        const double v = std::isfinite(h) ? std::max(std::abs(h), kFloor) : kFloor;
        hLow = std::min(hLow, v);
        hHigh = std::max(hHigh, v);
        return v;
    };
    QList<QPointF> inner;
    inner.reserve(static_cast<qsizetype>(run.innerSteps().size()));
    for (const auto& step : run.innerSteps()) {
        inner.append({outerAxisPosition(step), magnitude(step.violation)});
    }
    QList<QPointF> sampled;
    QList<QPointF> surrogate;
    QList<QPointF> mu;
    QList<QPointF> r;
    double pLow = run.config().bilevel.mu0;
    double pHigh = std::max(run.config().bilevel.r0, run.config().bilevel.mu0);
    // Iteration 0: the starting multiplier and penalty.
    if (run.hasBilevel()) {
        mu.append({0.0, run.config().bilevel.mu0});
        r.append({0.0, run.config().bilevel.r0});
    }
    for (const auto& it : run.outerIterations()) {
        sampled.append({double(it.iteration), magnitude(it.violationSampled)});
        surrogate.append({double(it.iteration), magnitude(it.violationSurrogate)});
        mu.append({double(it.iteration), it.mu});
        r.append({double(it.iteration), it.r});
        pLow = std::min({pLow, it.mu, it.r});
        pHigh = std::max({pHigh, it.mu, it.r});
    }
    m_inner->replace(thinPoints(inner, kMaxInnerPoints));
    m_sampled->replace(sampled);
    m_surrogate->replace(surrogate);
    m_mu->replace(mu);
    m_r->replace(r);
    setDecadeRange(m_h, hHigh > 0.0 ? hLow : 1e-6, hHigh > 0.0 ? hHigh : 1.0);
    setPaddedRange(m_penalty, std::min(pLow, 0.0), pHigh);
}

QList<QPointF> ConstraintChart::sampledPoints() const {
    return m_sampled->points();
}
QList<QPointF> ConstraintChart::surrogatePoints() const {
    return m_surrogate->points();
}
QList<QPointF> ConstraintChart::muPoints() const {
    return m_mu->points();
}
QList<QPointF> ConstraintChart::rPoints() const {
    return m_r->points();
}

} // namespace bt::ui
