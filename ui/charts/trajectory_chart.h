#pragma once

#include <vector>

#include "ui/charts/run_chart.h"

class QLineSeries;
class QScatterSeries;
class QXYSeries;

namespace bt::ui {

/// Trajectories: each λ_i of the bilevel method against the outer iteration, with the inner
/// steps between iterations (thinned), the initial design at iteration 0, the confirmation and
/// refinement trainings at the last iteration and the box.
class TrajectoryChart : public SingleViewChart {
    Q_OBJECT

public:
    static constexpr int kMaxPathPoints = 1500;

    explicit TrajectoryChart(QWidget* parent = nullptr);

    void refresh(const RunData& run) override;
    QString title() const override { return tr("Trajectories"); }
    QString fileStem() const override { return QStringLiteral("trajectories"); }

    /// The path of λ_i as drawn (for tests).
    QList<QPointF> pathPoints(int dimension) const;
    /// The marks of the λ* the bilevel method returned, one per entry (for tests).
    QList<QPointF> returnedPoints() const;
    /// The legend's name of λ_i's path (for tests).
    QString pathName(int dimension) const;
    /// The outer iterations' λ_i markers (for tests).
    QList<QPointF> outerPoints(int dimension) const;
    /// The markers of the trainings after the outer iterations (for tests).
    QList<QPointF> refinementPoints() const;

private:
    void setDimension(const RunData& run);
    static QList<QPointF> returnedMarks(const RunData& run);
    /// The record under the pointer: a design sample's, an outer iteration's (path or marker at
    /// an integer iteration) or the returned λ*'s; empty for the chart's own text (inner steps,
    /// the box).
    QString hover(const QXYSeries* series, const QPointF& point) const;

    const RunData* m_data = nullptr;

    std::vector<QLineSeries*> m_paths;
    std::vector<QScatterSeries*> m_outer;
    QScatterSeries* m_design = nullptr;
    QScatterSeries* m_refinement = nullptr; ///< confirmation and refinement, at the last iteration
    QScatterSeries* m_returned = nullptr;   ///< the λ* returned, where it was found
    QLineSeries* m_boxLower = nullptr;
    QLineSeries* m_boxUpper = nullptr;
};

} // namespace bt::ui
