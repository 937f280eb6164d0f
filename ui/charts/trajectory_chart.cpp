#include "ui/charts/trajectory_chart.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

#include "ui/charts/chart_support.h"
#include "ui/charts/chart_view.h"
#include "ui/session/run_data.h"

namespace bt::ui {

namespace {

// A training the bilevel method runs after its outer iterations (ALGORITHM.md §3.5–§3.6).
bool afterTheIterations(const events::SampleEvent& s) {
    return s.phase == events::phase::kConfirmation || s.phase == events::phase::kRefinement;
}

// The last outer iteration on the x axis, where the trainings after the iterations are drawn.
int lastOuterIteration(const RunData& run) {
    return std::max(1, run.config().bilevel.outerIterationCount());
}

} // namespace

TrajectoryChart::TrajectoryChart(QWidget* parent) : SingleViewChart(parent) {
    setObjectName(QStringLiteral("trajectoryChart"));
    m_chart = new QChart;
    styleChart(m_chart, tr("Trajectories of λ (bilevel method)"));
    m_x = makeOuterIterationAxis();
    m_y = makeValueAxis(tr("λ = ln(L2 coefficient)"), -10.0, 0.0);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);

    m_boxLower = new QLineSeries;
    m_boxUpper = new QLineSeries;
    for (auto* box : {m_boxLower, m_boxUpper}) {
        // The palette's stronger grey: on the dark theme the grid lines, drawn at the same
        // bounds, are mid-grey, and a mid-grey dashed line on them read as one more grid line.
        QPen pen(neutralColor(true), 1.5, Qt::DashLine);
        box->setPen(pen);
        box->setName(tr("box"));
        m_chart->addSeries(box);
        box->attachAxis(m_x);
        box->attachAxis(m_y);
    }
    hideFromLegend(m_chart, m_boxUpper);

    m_design = addScatterSeries(m_chart, tr("initial design"),
                                neutralMarker(QScatterSeries::MarkerShapeCircle, 7.0), m_x, m_y);
    // The trainings after the outer iterations (variant select: the confirmation and the
    // refinement, ALGORITHM.md §3.5–§3.6), at the last iteration, the way the design sits at 0.
    m_refinement = addScatterSeries(
        m_chart, tr("refinement"),
        neutralMarker(QScatterSeries::MarkerShapeRotatedRectangle, 9.0, true), m_x, m_y);

    // Which iterate the method returned: a star on each λ entry, once the method has finished.
    m_returned = addStarSeries(m_chart, tr("returned λ*"), m_x, m_y);

    m_view = fillWithChart(this, m_chart, [this](const QXYSeries* series, const QPointF& point) {
        return hover(series, point);
    });
}

void TrajectoryChart::setDimension(const RunData& run) {
    const int d = run.dimension();
    while (static_cast<int>(m_paths.size()) < d) {
        const int i = static_cast<int>(m_paths.size());
        auto* path = new QLineSeries;
        path->setPen(QPen(seriesColor(i), 2.0));
        auto* outer = new QScatterSeries;
        outer->setColor(seriesColor(i));
        outer->setBorderColor(seriesColor(i).darker(150));
        outer->setMarkerSize(9.0);
        for (QXYSeries* s : {static_cast<QXYSeries*>(path), static_cast<QXYSeries*>(outer)}) {
            m_chart->addSeries(s);
            s->attachAxis(m_x);
            s->attachAxis(m_y);
        }
        hideFromLegend(m_chart, outer);
        m_paths.push_back(path);
        m_outer.push_back(outer);
    }
    for (int i = 0; i < static_cast<int>(m_paths.size()); ++i) {
        m_paths[static_cast<std::size_t>(i)]->setName(QString::fromStdString(run.lambdaLabel(i)));
    }
}

void TrajectoryChart::refresh(const RunData& run) {
    m_data = &run;
    const int d = run.dimension();
    const int outerTotal = lastOuterIteration(run);
    const double lower = run.config().hyperparameters.lower;
    const double upper = run.config().hyperparameters.upper;
    // "No bilevel method" is said of a run, not of the empty view before the first run.
    m_chart->setTitle(run.empty() || run.hasBilevel()
                          ? tr("Trajectories of λ (bilevel method)")
                          : tr("Trajectories of λ (no bilevel method in this run)"));
    setDimension(run);
    // A little room left of 0, where the initial design's λ are drawn.
    const double xMin = -0.02 * outerTotal - 0.1;
    setOuterIterationRange(m_x, outerTotal, xMin);
    setPaddedRange(m_y, lower, upper);
    m_boxLower->replace(QList<QPointF>{{xMin, lower}, {double(outerTotal), lower}});
    m_boxUpper->replace(QList<QPointF>{{xMin, upper}, {double(outerTotal), upper}});

    QList<QPointF> design;
    QList<QPointF> refinement;
    if (const auto* bilevel = run.method("bilevel")) {
        for (const auto& s : bilevel->samples) {
            if (s.phase == events::phase::kInitialDesign) {
                for (const double v : s.lambda) {
                    design.append({0.0, v});
                }
            } else if (afterTheIterations(s)) {
                for (const double v : s.lambda) {
                    refinement.append({double(outerTotal), v});
                }
            }
        }
    }
    m_design->replace(design);
    m_refinement->replace(refinement);
    // The legend names the trainings after the outer iterations once one is drawn: variant
    // paper has none, and under select a fixed refine_trials 0 trains only a confirmation, if any.
    hideFromLegend(m_chart, m_refinement, refinement.isEmpty());

    const auto start = run.startLambda();
    for (int i = 0; i < d; ++i) {
        const auto k = static_cast<std::size_t>(i);
        QList<QPointF> path;
        path.reserve(
            static_cast<qsizetype>(run.innerSteps().size() + run.outerIterations().size() + 1));
        if (k < start.size()) {
            path.append({0.0, start[k]});
        }
        // Inner steps and outer iterations merged in x order (they arrive in that order).
        std::size_t o = 0;
        const auto& outer = run.outerIterations();
        QList<QPointF> marks;
        for (const auto& step : run.innerSteps()) {
            while (o < outer.size() && outer[o].iteration < step.outerIteration) {
                path.append({double(outer[o].iteration), outer[o].lambda[k]});
                marks.append(path.back());
                ++o;
            }
            if (k < step.lambda.size()) {
                path.append({outerAxisPosition(step), step.lambda[k]});
            }
        }
        for (; o < outer.size(); ++o) {
            if (k < outer[o].lambda.size()) {
                path.append({double(outer[o].iteration), outer[o].lambda[k]});
                marks.append(path.back());
            }
        }
        m_paths[k]->replace(thinPoints(path, kMaxPathPoints));
        m_outer[k]->replace(marks);
    }
    m_returned->replace(returnedMarks(run));
}

QList<QPointF> TrajectoryChart::returnedMarks(const RunData& run) {
    const auto* bilevel = run.method("bilevel");
    if (bilevel == nullptr || !bilevel->finished || bilevel->finished->lambda.empty()) {
        return {};
    }
    const auto& lambda = bilevel->finished->lambda;
    // At the outer iteration that holds λ* (variant paper, or a φ sample of an iteration under
    // select); at the last iteration with the refinement when one of its trainings holds it; at
    // 0 with the initial design otherwise.
    std::optional<double> x;
    for (const auto& o : run.outerIterations()) {
        if (o.lambda == lambda) {
            x = o.iteration;
            break;
        }
    }
    for (const auto& s : bilevel->samples) {
        if (!x && afterTheIterations(s) && s.lambda == lambda) {
            x = lastOuterIteration(run);
        }
    }
    QList<QPointF> marks;
    for (const double v : lambda) {
        marks.append({x.value_or(0.0), v});
    }
    return marks;
}

QString TrajectoryChart::hover(const QXYSeries* series, const QPointF& point) const {
    const auto* bilevel = m_data != nullptr ? m_data->method("bilevel") : nullptr;
    if (bilevel == nullptr) {
        return {};
    }
    if (series == m_design || series == m_refinement) {
        // d points per sample, in the samples' order.
        const qsizetype nearest = nearestPoint(series->points(), point);
        const auto d = static_cast<qsizetype>(std::max(1, m_data->dimension()));
        qsizetype index = 0;
        for (const auto& s : bilevel->samples) {
            const bool drawn = series == m_design ? s.phase == events::phase::kInitialDesign
                                                  : afterTheIterations(s);
            if (drawn && index++ == nearest / d) {
                return m_data->sampleText(s);
            }
        }
        return {};
    }
    if (series == m_returned) {
        const auto& lambda = bilevel->finished ? bilevel->finished->lambda : std::vector<double>{};
        for (const auto& s : bilevel->samples) {
            if (!lambda.empty() && s.lambda == lambda) {
                return tr("returned λ*: ") + m_data->sampleText(s);
            }
        }
        if (const auto* o = m_data->outerIteration(static_cast<int>(std::lround(point.x())))) {
            return tr("returned λ*: ") + m_data->outerIterationText(*o);
        }
        return {};
    }
    // A path or its markers at an outer iteration; between iterations the inner steps say
    // their own values.
    const bool lambdaSeries = std::find(m_paths.begin(), m_paths.end(), series) != m_paths.end() ||
                              std::find(m_outer.begin(), m_outer.end(), series) != m_outer.end();
    return lambdaSeries ? m_data->outerIterationTextAt(point.x()) : QString();
}

QList<QPointF> TrajectoryChart::pathPoints(int dimension) const {
    return m_paths.at(static_cast<std::size_t>(dimension))->points();
}

QList<QPointF> TrajectoryChart::returnedPoints() const {
    return m_returned->points();
}

QString TrajectoryChart::pathName(int dimension) const {
    return m_paths.at(static_cast<std::size_t>(dimension))->name();
}

QList<QPointF> TrajectoryChart::outerPoints(int dimension) const {
    return m_outer.at(static_cast<std::size_t>(dimension))->points();
}

QList<QPointF> TrajectoryChart::refinementPoints() const {
    return m_refinement->points();
}

} // namespace bt::ui
