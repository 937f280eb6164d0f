#pragma once

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
///   by its validation loss (viridis: the lowest bright); the best training drawn thick;
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
    /// The coordinates' axes over `plot`, named, with their ends (the loss's from `lossLow` to
    /// `lossHigh`).
    void paintAxes(QPainter& painter, const QRectF& plot, double lossLow, double lossHigh) const;
    void paintRelevance(QPainter& painter, const QRectF& area) const;

    std::vector<Trial> m_trials;
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
