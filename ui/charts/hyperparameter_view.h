#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <QElapsedTimer>
#include <QString>
#include <QTimer>
#include <QWidget>

namespace bt::ui {

class RunData;

/// The hyperparameters across every method (the Hyperparameters tab):
/// - parallel coordinates: one vertical axis per entry of λ (named as the run names them) and
///   one for the validation loss, each training of every method a line across them, coloured
///   by its validation loss's rank (viridis: the lowest bright); the best training drawn thick;
/// - the sensitivity of the objective to each λ: the relevance 1/ℓ_i of the length scales of
///   the latest GP over λ, normalised to the largest (Bayesian optimisation's GP, which models
///   the validation loss; without one, the bilevel method's GP of φ, said so in the caption).
///   A long length scale is an entry the objective hardly changes with.
/// Drawn with QPainter: hundreds of lines cost one paint, not one chart series each.
class HyperparameterView : public QWidget {
    Q_OBJECT

public:
    explicit HyperparameterView(QWidget* parent = nullptr);

    void refresh(const RunData& run);

    /// One drawn line: λ and the validation loss of a training.
    struct Trial {
        std::vector<double> lambda;
        double valLoss = 0.0;
        std::string method;
    };
    const std::vector<Trial>& trials() const { return m_trials; }
    /// Index into trials() of the lowest validation loss; -1 when there is none.
    int bestTrial() const { return m_best; }
    /// The validation loss's axis: from the lowest loss to the highest, or, where a few bad
    /// trainings would squeeze the rest into the axis's bottom, to the lowest plus three times
    /// the distance from it to the upper quartile (`clipped`; a line above ends at the top,
    /// labelled "≥").
    struct LossAxis {
        double low = 0.0;
        double high = 1.0;
        bool clipped = false;
    };
    const LossAxis& lossAxis() const { return m_lossAxis; }
    /// A trial's colour position by its rank among the trials: 1 the lowest validation loss,
    /// 0 the highest (evenly spaced, so that the many trainings near the best differ in colour;
    /// equal losses share the shade of their mean rank).
    double shade(std::size_t trial) const { return m_shades.at(trial); }
    /// Per entry of λ: 1/ℓ normalised to the largest (empty without a fitted GP).
    const std::vector<double>& relevance() const { return m_relevance; }
    /// Which GP the relevance comes from ("Bayesian optimisation's GP of the validation loss"...).
    const QString& relevanceSource() const { return m_relevanceSource; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    /// A bold centred title at the top of `area`; returns its height.
    double paintTitle(QPainter& painter, const QRectF& area, const QString& title) const;
    void paintCoordinates(QPainter& painter, const QRectF& area) const;
    /// The coordinates' axes over `plot`, named, with their ends (the loss's: lossAxis()).
    void paintAxes(QPainter& painter, const QRectF& plot) const;
    /// lossAxis() and the shades of the trials as they are.
    void rankTrials();
    void paintRelevance(QPainter& painter, const QRectF& area) const;

    std::vector<Trial> m_trials;
    std::vector<double> m_shades; ///< shade() per trial
    LossAxis m_lossAxis;
    std::vector<QString> m_names; ///< one per entry of λ
    std::vector<double> m_lower;  ///< the λ box per entry
    std::vector<double> m_upper;
    int m_best = -1;
    std::vector<double> m_relevance;
    QString m_relevanceSource;
    /// Repaints at most kPaintMs apart: hundreds of lines are too many to draw every frame of
    /// a live run (bench_ui measured p99 lateness 15-19 ms with them against 6-9 without).
    static constexpr int kPaintMs = 250;
    QElapsedTimer m_lastPaint;
    QTimer m_pendingPaint;
};

} // namespace bt::ui
