#pragma once

#include "ui/charts/run_chart.h"

class QChart;
class QLineSeries;
class QLogValueAxis;
class QValueAxis;

namespace bt::ui {

/// Constraint: |h| of the bilevel method on a log axis — against the sampled φ and against the
/// surrogate φ̂ at each outer iteration, and on the inner minibatches (thinned) — with the
/// multiplier μ and the penalty r on a second axis.
class ConstraintChart : public RunChart {
    Q_OBJECT

public:
    static constexpr int kMaxInnerPoints = 1500;
    /// |h| below this is drawn at it: a log axis has no zero.
    static constexpr double kFloor = 1e-10;

    explicit ConstraintChart(QWidget* parent = nullptr);

    void refresh(const RunData& run) override;
    QList<QChartView*> chartViews() const override { return {m_view}; }
    QString title() const override { return tr("Constraint"); }
    QString fileStem() const override { return QStringLiteral("constraint"); }

    QList<QPointF> sampledPoints() const;
    QList<QPointF> surrogatePoints() const;
    QList<QPointF> muPoints() const;
    QList<QPointF> rPoints() const;

private:
    QChartView* m_view = nullptr;
    QChart* m_chart = nullptr;
    QValueAxis* m_x = nullptr;
    QLogValueAxis* m_h = nullptr;
    QValueAxis* m_penalty = nullptr;
    QLineSeries* m_sampled = nullptr;
    QLineSeries* m_surrogate = nullptr;
    QLineSeries* m_inner = nullptr;
    QLineSeries* m_mu = nullptr;
    QLineSeries* m_r = nullptr;
    const RunData* m_data = nullptr; ///< what the hover describes
};

} // namespace bt::ui
