#pragma once

#include "ui/charts/run_chart.h"

class QLineSeries;
class QScatterSeries;

namespace bt::ui {

/// Losses along the bilevel method's path: F (validation loss), f (regularised training
/// objective) and φ̂ (the surrogate at λ) on the inner minibatches (thinned) and on the full
/// splits at each outer iteration, with the sampled φ(λ_k).
class LossChart : public SingleViewChart {
    Q_OBJECT

public:
    static constexpr int kMaxInnerPoints = 1500;

    explicit LossChart(QWidget* parent = nullptr);

    void refresh(const RunData& run) override;
    QString title() const override { return tr("Losses"); }
    QString fileStem() const override { return QStringLiteral("losses"); }

    QList<QPointF> upperPoints() const;
    QList<QPointF> lowerPoints() const;
    QList<QPointF> phiHatPoints() const;
    QList<QPointF> phiSampledPoints() const;

private:
    QLineSeries* m_innerUpper = nullptr;
    QLineSeries* m_innerLower = nullptr;
    QLineSeries* m_innerPhiHat = nullptr;
    QLineSeries* m_upper = nullptr;
    QLineSeries* m_lower = nullptr;
    QLineSeries* m_phiHat = nullptr;
    QScatterSeries* m_phiSampled = nullptr;
    const RunData* m_data = nullptr; ///< what the hover describes
};

} // namespace bt::ui
