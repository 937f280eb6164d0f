#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <QImage>
#include <QRectF>

#include "engine/methods/surrogate_grid.h"
#include "ui/charts/run_chart.h"
#include "ui/session/surrogate_grid_worker.h"

class QAreaSeries;
class QChart;
class QComboBox;
class QLabel;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
class QWidget;
class QXYSeries;

namespace bt::ui {

/// Surrogate: the bilevel method's GP φ̂ of the lower-level value function φ, redrawn at every
/// refit. d = 1: the mean with a ±2σ band, the samples and the current λ. d = 2: a heat map of
/// the mean (or σ) with the samples, the λ path and the current λ. d > 2: a 1-D slice through
/// the current λ along a chosen dimension and a 2-D slice over a chosen pair, side by side. Once
/// the method has finished, λ* takes the current λ's place (RunData::markedLambda).
///
/// The posterior is the engine's (methods::surrogateGrid: the method's PhiSurrogate conditioned
/// on the samples and hyperparameters of the latest GpRefitEvent), so the picture is the
/// posterior the method used; a run opened from its result (no refit events) is fitted by
/// maximum likelihood, as the method would. It is computed off the GUI thread (the global
/// thread pool, one computation at a time): refresh() draws the samples and the λ path at once
/// and the posterior when it arrives; a result for an older run, fit, slice or λ is dropped
/// when a newer one was asked for. The chart only draws.
class SurrogateChart : public RunChart {
    Q_OBJECT

public:
    enum class Shading { Mean, StdDev };
    static constexpr int kCurvePoints = 200;
    static constexpr int kGridSize = 48;

    explicit SurrogateChart(QWidget* parent = nullptr);
    ~SurrogateChart() override;

    void refresh(const RunData& run) override;
    /// Waits for the posterior asked for last and draws it (exports, captures, tests).
    void settle() override;
    QList<QChartView*> chartViews() const override;
    QString title() const override { return tr("Surrogate"); }
    QString fileStem() const override { return QStringLiteral("surrogate"); }

    /// d > 2: the dimension of the 1-D slice and the pair of the 2-D slice (0-based).
    void setSliceDimension(int dimension);
    void setSlicePair(int x, int y);
    /// Heat maps show the posterior mean or its standard deviation.
    void setShading(Shading shading);

    // What is drawn, for tests.
    /// The heat map's star and the curve's vertical line: where the marked λ is drawn.
    QList<QPointF> mapMarkerPoints() const;
    QList<QPointF> curveMarkerPoints() const;
    /// The star's legend name: "current λ" while the method runs, "λ*" after.
    QString mapMarkerName() const;
    QList<QPointF> meanPoints() const;
    QList<QPointF> bandUpperPoints() const;
    QList<QPointF> bandLowerPoints() const;
    QList<QPointF> curveSamplePoints() const;
    QList<QPointF> mapSamplePoints() const;
    QList<QPointF> mapPathPoints() const;
    bool curveShown() const;
    bool mapShown() const;
    const QImage& heatMap() const { return m_heat; }
    /// The heat map's colour key, "φ̂ mean: 0.12 … 1.72": the drawn range, and where every φ
    /// sample is ≥ 0 (a loss) but the mean dips below 0, that this is the GP's error.
    static QString colourKeyText(Shading shading, double low, double high, bool samplesNonNegative);
    QString colourKey() const;
    /// Samples the drawn GP is conditioned on (0 while there is none).
    int modelSamples() const;
    /// A posterior is being computed or waits to be.
    bool computing() const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // What a posterior was computed for: a new one is asked for when this changes.
    struct GridKey {
        std::string runId;
        std::size_t fits = 0;    // refits seen; 0: fitted here from the result's samples
        std::size_t samples = 0; // φ samples it is conditioned on
        int curveDimension = -1;
        int surfaceX = -1;
        int surfaceY = -1;
        std::vector<double> through; // d > 2: the slices' λ
        bool operator==(const GridKey&) const = default;
    };
    // The request for what `run` shows now, and what it is for; none when there is nothing
    // to fit (no bilevel method, a live run before its first refit).
    std::optional<std::pair<methods::SurrogateGridRequest, GridKey>>
    gridRequest(const RunData& run) const;
    void receive(std::uint64_t ticket, const methods::SurrogateGrid& grid);
    // The hover text of a φ sample: its whole record (RunData::sampleText); empty for another
    // series, which then shows its values.
    QString sampleHover(const QXYSeries* series, const QPointF& point) const;
    QWidget* buildControls(); // the shading, slice and pair choices and the status line
    void buildCurveChart();   // d = 1 and the 1-D slice
    void buildMapChart();     // d = 2 and the 2-D slice
    void draw(const RunData& run);
    void showEmpty(const RunData& run);
    void drawCurve(const RunData& run, int dimension);
    /// "current λ" while the bilevel method runs, "λ*" once it has finished.
    static QString markerName(const RunData& run);
    void drawMap(const RunData& run, int dx, int dy);
    // The heat map and its colour key (none while the pair's posterior has not arrived).
    void drawHeat(const gp::PosteriorSurface* surface, const QString& nameX, const QString& nameY,
                  bool samplesNonNegative);
    void updateHeatBrush();
    // The status line, elided to the label's width; the whole text is its tooltip.
    void setStatus(const QString& text);
    void elideStatus();
    void updateControls(int dimension);
    void redraw();

    const RunData* m_data = nullptr;
    std::optional<methods::SurrogateGrid> m_grid; // the latest posterior received
    GridKey m_gridKey;                            // what m_grid was computed for
    SurrogateGridWorker m_worker;
    GridKey m_askedKey;              // what the latest request is for
    std::uint64_t m_askedTicket = 0; // its ticket (0: none)
    int m_dimension = 0;
    int m_sliceDimension = 0;
    int m_pairX = 0;
    int m_pairY = 1;
    Shading m_shading = Shading::Mean;
    QImage m_heat;
    QString m_statusText;
    QRectF m_mapBox; // the heat map's λ box (x: the first λ, y: the second) in axis units

    QWidget* m_controls = nullptr;
    QWidget* m_sliceControls = nullptr; ///< the 1-D and 2-D slices' choices (d > 2)
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
