#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <QImage>
#include <QRectF>

#include "ui/run_chart.h"

class QAreaSeries;
class QChart;
class QComboBox;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
class QWidget;

namespace bt::gp {
class GaussianProcess;
}

namespace bt::ui {

/// Surrogate: the bilevel method's GP φ̂ of the lower-level value function φ, redrawn at every
/// refit. d = 1: the mean with a ±2σ band, the samples and the current λ. d = 2: a heat map of
/// the mean (or σ) with the samples and the λ path. d > 2: a 1-D slice through the current λ
/// along a chosen dimension and a 2-D slice over a chosen pair, side by side.
///
/// The GP is the engine's: conditioned here, on the GUI thread, on the samples and
/// hyperparameters of the latest GpRefitEvent (gp::GaussianProcess::condition), so the picture
/// is the posterior the method used. A run opened from its result (no refit events) is fitted
/// here by maximum likelihood, as the method would.
class SurrogateChart : public RunChart {
    Q_OBJECT

public:
    enum class Shading { Mean, StdDev };
    static constexpr int kCurvePoints = 200;
    static constexpr int kGridSize = 48;

    explicit SurrogateChart(QWidget* parent = nullptr);
    ~SurrogateChart() override;

    void refresh(const RunData& run) override;
    QList<QChartView*> chartViews() const override;
    QString title() const override { return tr("Surrogate"); }
    QString fileStem() const override { return QStringLiteral("surrogate"); }

    /// d > 2: the dimension of the 1-D slice and the pair of the 2-D slice (0-based).
    void setSliceDimension(int dimension);
    void setSlicePair(int x, int y);
    /// Heat maps show the posterior mean or its standard deviation.
    void setShading(Shading shading);

    // What is drawn, for tests.
    QList<QPointF> meanPoints() const;
    QList<QPointF> bandUpperPoints() const;
    QList<QPointF> bandLowerPoints() const;
    QList<QPointF> curveSamplePoints() const;
    QList<QPointF> mapSamplePoints() const;
    QList<QPointF> mapPathPoints() const;
    bool curveShown() const;
    bool mapShown() const;
    const QImage& heatMap() const { return m_heat; }
    /// Samples the drawn GP is conditioned on (0 while there is none).
    int modelSamples() const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    bool updateModel(const RunData& run);
    void drawCurve(const RunData& run, int dimension);
    void drawMap(const RunData& run, int dx, int dy);
    void updateHeatBrush();
    // The status line, elided to the label's width; the whole text is its tooltip.
    void setStatus(const QString& text);
    void elideStatus();
    void updateControls(int dimension);
    void redraw();

    const RunData* m_data = nullptr;
    std::unique_ptr<gp::GaussianProcess> m_gp;
    std::size_t m_fitsSeen = 0;
    std::string m_modelRun;
    bool m_modelFitted = false; // fitted here (history), not conditioned on a refit event
    bool m_logScale = false;    // the GP models log φ (bilevel.log_surrogate)
    int m_dimension = 0;
    int m_sliceDimension = 0;
    int m_pairX = 0;
    int m_pairY = 1;
    Shading m_shading = Shading::Mean;
    QImage m_heat;
    QString m_statusText;
    QRectF m_mapBox; // the heat map's λ box (x: the first λ, y: the second) in axis units

    QWidget* m_controls = nullptr;
    QComboBox* m_shadingCombo = nullptr;
    QComboBox* m_sliceCombo = nullptr;
    QComboBox* m_pairXCombo = nullptr;
    QComboBox* m_pairYCombo = nullptr;
    QLabel* m_status = nullptr;

    QChartView* m_curveView = nullptr;
    QChart* m_curveChart = nullptr;
    QValueAxis* m_curveX = nullptr;
    QValueAxis* m_curveY = nullptr;
    QLineSeries* m_mean = nullptr;
    QLineSeries* m_bandUpper = nullptr;
    QLineSeries* m_bandLower = nullptr;
    QAreaSeries* m_band = nullptr;
    QScatterSeries* m_curveSamples = nullptr;
    QLineSeries* m_curveCurrent = nullptr;

    QChartView* m_mapView = nullptr;
    QChart* m_mapChart = nullptr;
    QValueAxis* m_mapX = nullptr;
    QValueAxis* m_mapY = nullptr;
    QScatterSeries* m_mapSamples = nullptr;
    QLineSeries* m_mapPath = nullptr;
    QScatterSeries* m_mapCurrent = nullptr;
    QAreaSeries* m_colourKey = nullptr;
};

} // namespace bt::ui
