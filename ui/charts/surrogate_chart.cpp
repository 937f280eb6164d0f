#include "ui/charts/surrogate_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>

#include "ui/charts/chart_support.h"
#include "ui/charts/chart_view.h"
#include "ui/session/run_data.h"

namespace bt::ui {

namespace {

QChartView* makeView(QChart* chart, QWidget* parent) {
    return new ChartView(chart, parent);
}

template <class S>
S* attach(QChart* chart, S* series, QAbstractAxis* x, QAbstractAxis* y) {
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
    return series;
}

} // namespace

SurrogateChart::SurrogateChart(QWidget* parent) : RunChart(parent) {
    setObjectName(QStringLiteral("surrogateChart"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildControls());
    buildCurveChart();
    buildMapChart();
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    m_curveView = makeView(m_curveChart, splitter);
    m_mapView = makeView(m_mapChart, splitter);
    splitter->addWidget(m_curveView);
    splitter->addWidget(m_mapView);
    layout->addWidget(splitter, 1);
    for (auto* view : {m_curveView, m_mapView}) {
        qobject_cast<ChartView*>(view)->setHoverText(
            [this](const QXYSeries* series, const QPointF& point) {
                return sampleHover(series, point);
            });
    }
    connect(&m_worker, &SurrogateGridWorker::finished, this, &SurrogateChart::receive);
    updateControls(0);
}

QWidget* SurrogateChart::buildControls() {
    m_controls = new QWidget(this);
    auto* bar = new QHBoxLayout(m_controls);
    bar->setContentsMargins(6, 2, 6, 2);
    bar->addWidget(new QLabel(tr("Heat map:"), m_controls));
    m_shadingCombo = new QComboBox(m_controls);
    m_shadingCombo->setObjectName(QStringLiteral("surrogateShading"));
    m_shadingCombo->addItems({tr("posterior mean φ̂"), tr("posterior σ")});
    bar->addWidget(m_shadingCombo);
    // The slices' choices, shown only where there are slices (d > 2).
    m_sliceControls = new QWidget(m_controls);
    auto* slices = new QHBoxLayout(m_sliceControls);
    slices->setContentsMargins(0, 0, 0, 0);
    slices->addSpacing(12);
    slices->addWidget(new QLabel(tr("1-D slice along:"), m_sliceControls));
    m_sliceCombo = new QComboBox(m_sliceControls);
    m_sliceCombo->setObjectName(QStringLiteral("surrogateSlice"));
    slices->addWidget(m_sliceCombo);
    slices->addSpacing(12);
    slices->addWidget(new QLabel(tr("2-D slice over:"), m_sliceControls));
    m_pairXCombo = new QComboBox(m_sliceControls);
    m_pairXCombo->setObjectName(QStringLiteral("surrogatePairX"));
    m_pairYCombo = new QComboBox(m_sliceControls);
    m_pairYCombo->setObjectName(QStringLiteral("surrogatePairY"));
    slices->addWidget(m_pairXCombo);
    slices->addWidget(new QLabel(QStringLiteral("×"), m_sliceControls));
    slices->addWidget(m_pairYCombo);
    for (auto* combo : {m_shadingCombo, m_sliceCombo, m_pairXCombo, m_pairYCombo}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    }
    bar->addWidget(m_sliceControls);
    // The status takes the room left and no more: a long message ("GP not drawn: …") must not
    // widen the charts' pane and move the window's splitter. It is elided to fit (elideStatus).
    m_status = new QLabel(m_controls);
    m_status->setObjectName(QStringLiteral("surrogateStatus"));
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_status->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_status->installEventFilter(this); // re-elided at every width
    bar->addWidget(m_status, 1);
    connect(m_shadingCombo, &QComboBox::currentIndexChanged, this,
            [this](int index) { setShading(index == 1 ? Shading::StdDev : Shading::Mean); });
    connect(m_sliceCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0) {
            setSliceDimension(index);
        }
    });
    auto pairChanged = [this] {
        if (m_pairXCombo->currentIndex() >= 0 && m_pairYCombo->currentIndex() >= 0) {
            setSlicePair(m_pairXCombo->currentIndex(), m_pairYCombo->currentIndex());
        }
    };
    connect(m_pairXCombo, &QComboBox::currentIndexChanged, this, pairChanged);
    connect(m_pairYCombo, &QComboBox::currentIndexChanged, this, pairChanged);
    return m_controls;
}

void SurrogateChart::buildCurveChart() {
    // Mean, ±2σ band, samples, current λ.
    m_curveChart = new QChart;
    styleChart(m_curveChart, tr("Surrogate φ̂"));
    m_curveX = makeValueAxis(tr("λ = ln(L2 coefficient)"), -10.0, 0.0);
    m_curveY = makeValueAxis(tr("φ(λ) = min_w f(w, λ)"), 0.0, 1.0);
    m_curveChart->addAxis(m_curveX, Qt::AlignBottom);
    m_curveChart->addAxis(m_curveY, Qt::AlignLeft);
    m_bandUpper = new QLineSeries(this);
    m_bandLower = new QLineSeries(this);
    m_band = new QAreaSeries(m_bandUpper, m_bandLower);
    m_band->setName(tr("φ̂ ± 2σ"));
    QColor bandColour = seriesColor(0);
    bandColour.setAlpha(60);
    m_band->setBrush(bandColour);
    m_band->setPen(QPen(bandColour, 0.5));
    attach(m_curveChart, m_band, m_curveX, m_curveY);
    m_mean = attach(m_curveChart, new QLineSeries, m_curveX, m_curveY);
    m_mean->setName(tr("φ̂: GP mean"));
    m_mean->setPen(QPen(seriesColor(0), 2.5));
    m_curveSamples = attach(m_curveChart, new QScatterSeries, m_curveX, m_curveY);
    m_curveSamples->setName(tr("φ samples"));
    m_curveSamples->setColor(methodColor("bilevel"));
    m_curveSamples->setMarkerSize(9.0);
    m_curveCurrent = attach(m_curveChart, new QLineSeries, m_curveX, m_curveY);
    m_curveCurrent->setName(tr("current λ"));
    m_curveCurrent->setPen(QPen(seriesColor(2), 2.0, Qt::DashLine));
}

void SurrogateChart::buildMapChart() {
    // Heat map (plot-area background), samples, λ path, current λ.
    m_mapChart = new QChart;
    styleChart(m_mapChart, tr("Surrogate φ̂ heat map"));
    m_mapX = makeValueAxis(tr("λ1"), -10.0, 0.0);
    m_mapY = makeValueAxis(tr("λ2"), -10.0, 0.0);
    m_mapChart->addAxis(m_mapX, Qt::AlignBottom);
    m_mapChart->addAxis(m_mapY, Qt::AlignLeft);
    m_colourKey = new QAreaSeries(new QLineSeries(this));
    m_colourKey->setPen(Qt::NoPen);
    attach(m_mapChart, m_colourKey, m_mapX, m_mapY);
    m_mapPath = attach(m_mapChart, new QLineSeries, m_mapX, m_mapY);
    m_mapPath->setName(tr("λ path"));
    m_mapPath->setPen(QPen(Qt::white, 2.0));
    m_mapSamples = attach(m_mapChart, new QScatterSeries, m_mapX, m_mapY);
    m_mapSamples->setName(tr("φ samples"));
    m_mapSamples->setColor(methodColor("bilevel"));
    m_mapSamples->setBorderColor(Qt::white);
    m_mapSamples->setMarkerSize(9.0);
    m_mapCurrent = attach(m_mapChart, new QScatterSeries, m_mapX, m_mapY);
    m_mapCurrent->setName(tr("current λ"));
    m_mapCurrent->setMarkerShape(QScatterSeries::MarkerShapeStar);
    m_mapCurrent->setMarkerSize(18.0);
    m_mapCurrent->setColor(QColor(255, 255, 255));
    m_mapCurrent->setBorderColor(Qt::black);
    connect(m_mapChart, &QChart::plotAreaChanged, this, [this] { updateHeatBrush(); });
    // A zoom or pan moves the box within the plot area: the heat map follows it.
    for (auto* axis : {m_mapX, m_mapY}) {
        connect(axis, &QValueAxis::rangeChanged, this, [this] { updateHeatBrush(); });
    }
}

SurrogateChart::~SurrogateChart() = default;

QList<QChartView*> SurrogateChart::chartViews() const {
    QList<QChartView*> views;
    if (curveShown()) {
        views << m_curveView;
    }
    if (mapShown()) {
        views << m_mapView;
    }
    if (views.isEmpty()) {
        views << m_curveView;
    }
    return views;
}

bool SurrogateChart::curveShown() const {
    return m_dimension == 1 || m_dimension > 2;
}

bool SurrogateChart::mapShown() const {
    return m_dimension >= 2;
}

int SurrogateChart::modelSamples() const {
    return m_grid && m_grid->ok ? m_grid->samples : 0;
}

void SurrogateChart::setSliceDimension(int dimension) {
    if (dimension == m_sliceDimension) {
        return;
    }
    m_sliceDimension = dimension;
    redraw();
}

void SurrogateChart::setSlicePair(int x, int y) {
    if (x == m_pairX && y == m_pairY) {
        return;
    }
    m_pairX = x;
    m_pairY = y;
    redraw();
}

void SurrogateChart::setShading(Shading shading) {
    if (shading == m_shading) {
        return;
    }
    m_shading = shading;
    m_shadingCombo->setCurrentIndex(shading == Shading::StdDev ? 1 : 0);
    redraw();
}

void SurrogateChart::redraw() {
    if (m_data != nullptr) {
        refresh(*m_data);
    }
}

void SurrogateChart::updateControls(int dimension) {
    QStringList labels;
    for (int i = 0; i < dimension; ++i) {
        labels << (m_data != nullptr ? QString::fromStdString(m_data->lambdaLabel(i))
                                     : QStringLiteral("λ%1").arg(i + 1));
    }
    QStringList shown;
    for (int i = 0; i < m_sliceCombo->count(); ++i) {
        shown << m_sliceCombo->itemText(i);
    }
    if (shown != labels) {
        const QSignalBlocker b1(m_sliceCombo);
        const QSignalBlocker b2(m_pairXCombo);
        const QSignalBlocker b3(m_pairYCombo);
        m_sliceCombo->clear();
        m_pairXCombo->clear();
        m_pairYCombo->clear();
        m_sliceCombo->addItems(labels);
        m_pairXCombo->addItems(labels);
        m_pairYCombo->addItems(labels);
        m_sliceDimension = std::clamp(m_sliceDimension, 0, std::max(0, dimension - 1));
        m_pairX = std::clamp(m_pairX, 0, std::max(0, dimension - 1));
        m_pairY = std::clamp(m_pairY, 0, std::max(0, dimension - 1));
        if (m_pairX == m_pairY && dimension > 1) {
            m_pairY = (m_pairX + 1) % dimension;
        }
        m_sliceCombo->setCurrentIndex(m_sliceDimension);
        m_pairXCombo->setCurrentIndex(m_pairX);
        m_pairYCombo->setCurrentIndex(m_pairY);
    }
    m_sliceControls->setVisible(dimension > 2);
    m_shadingCombo->setEnabled(dimension >= 2);
    m_curveView->setVisible(dimension == 1 || dimension > 2 || dimension == 0);
    m_mapView->setVisible(dimension >= 2);
}

std::optional<std::pair<methods::SurrogateGridRequest, SurrogateChart::GridKey>>
SurrogateChart::gridRequest(const RunData& run) const {
    const int d = run.dimension();
    const auto& fits = run.surrogateFits();
    if (d == 0 || !run.hasBilevel() || (fits.empty() && !run.result())) {
        return std::nullopt; // a live run before its first refit
    }
    methods::SurrogateGridRequest r;
    r.box = {run.lower(), run.upper()};
    r.logScale = run.config().bilevel.logSurrogate;
    r.seed = run.config().training.seed;
    // The samples of the latest refit, with its hyperparameters (on the scale the GP models);
    // a run opened from its result has none: every sample, fitted as the method would.
    run.phiSamples(fits.empty() ? std::numeric_limits<std::size_t>::max() : fits.back().samplesSeen,
                   r.x, r.y);
    if (r.x.empty()) {
        return std::nullopt;
    }
    if (!fits.empty()) {
        const auto& refit = fits.back().refit;
        r.hyperparameters =
            gp::GpHyperparameters{refit.lengthScales, refit.signalVariance, refit.noiseVariance};
    }
    if (d == 1 || d > 2) {
        r.curveDimension = d == 1 ? 0 : m_sliceDimension;
    }
    if (d == 2) {
        r.surfaceX = 0;
        r.surfaceY = 1;
    } else if (d > 2) {
        r.surfaceX = m_pairX;
        r.surfaceY = m_pairY;
        r.through = run.markedLambda();
    }
    r.curvePoints = kCurvePoints;
    r.surfaceSize = kGridSize;
    GridKey key{run.runId(), fits.size(), r.x.size(), r.curveDimension,
                r.surfaceX,  r.surfaceY,  r.through};
    return std::pair{std::move(r), std::move(key)};
}

void SurrogateChart::settle() {
    m_worker.settle();
}

bool SurrogateChart::computing() const {
    return m_worker.busy();
}

QString SurrogateChart::sampleHover(const QXYSeries* series, const QPointF& point) const {
    if (m_data == nullptr || (series != m_curveSamples && series != m_mapSamples)) {
        return {}; // the chart's own text: series, x and y
    }
    // Both sample series draw the usable φ samples in order, so the drawn point nearest the
    // pointer is the sample of the same index.
    const auto samples = m_data->usablePhiSamples(std::numeric_limits<std::size_t>::max());
    const qsizetype nearest = nearestPoint(series->points(), point);
    if (nearest < 0 || static_cast<std::size_t>(nearest) >= samples.size()) {
        return {};
    }
    return m_data->sampleText(*samples[static_cast<std::size_t>(nearest)]);
}

void SurrogateChart::refresh(const RunData& run) {
    m_data = &run;
    m_dimension = run.dimension();
    updateControls(m_dimension);
    auto asked = gridRequest(run);
    if (!asked) {
        m_worker.drop(); // whatever is being computed is no longer wanted
        m_askedTicket = 0;
        m_grid.reset();
        m_gridKey = {};
        showEmpty(run);
        return;
    }
    if (m_grid && m_gridKey.runId != run.runId()) {
        m_grid.reset(); // nothing of another run stays on screen
    }
    const bool drawn = m_grid && m_gridKey == asked->second;
    const bool waiting = m_askedTicket != 0 && m_askedKey == asked->second;
    if (!drawn && !waiting) {
        m_askedKey = std::move(asked->second);
        m_askedTicket = m_worker.request(std::move(asked->first));
    }
    draw(run);
}

void SurrogateChart::receive(std::uint64_t ticket, const methods::SurrogateGrid& grid) {
    if (ticket != m_askedTicket) {
        return;
    }
    m_askedTicket = 0;
    m_grid = grid;
    m_gridKey = m_askedKey;
    if (m_data != nullptr) {
        draw(*m_data);
    }
}

void SurrogateChart::draw(const RunData& run) {
    if (!m_grid || !m_grid->ok) {
        if (m_grid) {
            setStatus(tr("GP not drawn: %1").arg(QString::fromStdString(m_grid->message)));
        }
        showEmpty(run);
        return;
    }
    setStatus(m_gridKey.fits > 0
                  ? tr("GP refit %1: %2 samples").arg(m_gridKey.fits).arg(m_grid->samples)
                  : tr("GP fitted here: %1 samples").arg(m_grid->samples));
    if (m_dimension == 1) {
        drawCurve(run, 0);
    } else if (m_dimension == 2) {
        drawMap(run, 0, 1);
    } else {
        drawCurve(run, m_sliceDimension);
        drawMap(run, m_pairX, m_pairY);
    }
}

void SurrogateChart::showEmpty(const RunData& run) {
    const QString why = run.empty() ? tr("Surrogate φ̂ (no run yet)")
                        : !run.hasBilevel()
                            ? tr("Surrogate φ̂ (no bilevel method in this run)")
                            : tr("Surrogate φ̂: waiting for the first GP fit (after the "
                                 "initial design)");
    m_curveChart->setTitle(why);
    m_mapChart->setTitle(why);
    for (auto* s : {m_mean, m_bandUpper, m_bandLower, m_curveCurrent, m_mapPath}) {
        s->clear();
    }
    m_curveSamples->clear();
    m_mapSamples->clear();
    m_mapCurrent->clear();
    m_heat = QImage();
    updateHeatBrush();
    if (!run.hasBilevel()) {
        setStatus(QString());
    }
}

void SurrogateChart::drawCurve(const RunData& run, int dimension) {
    const auto k = static_cast<std::size_t>(dimension);
    const double lo = run.lower()[k];
    const double hi = run.upper()[k];
    // The posterior along this dimension once it has arrived (another slice's is not drawn).
    const gp::PosteriorCurve* curve =
        m_grid->curve && m_gridKey.curveDimension == dimension ? &*m_grid->curve : nullptr;
    const QString name = QString::fromStdString(run.lambdaLabel(dimension));
    m_curveChart->setTitle(
        m_dimension == 1
            ? (run.config().bilevel.logSurrogate
                   ? tr("Surrogate φ̂ (GP on log φ: exp of mean ± 2σ) "
                        "with the φ samples")
                   : tr("Surrogate φ̂ (GP mean ± 2σ) with the φ samples"))
            : tr("φ̂: slice along %1 through %2")
                  .arg(name, run.chosenLambda().empty() ? tr("the current λ") : tr("λ*")));
    m_curveX->setTitleText(tr("%1 = ln(L2 coefficient)").arg(name));
    QList<QPointF> mean, upper, lower;
    double yLow = std::numeric_limits<double>::infinity();
    double yHigh = -std::numeric_limits<double>::infinity();
    // On log φ the engine's band exp(m ± 2σ) is the log-normal's, asymmetric about exp(m).
    for (std::size_t i = 0; curve != nullptr && i < curve->x.size(); ++i) {
        mean.append({curve->x[i], curve->mean[i]});
        upper.append({curve->x[i], curve->upper[i]});
        lower.append({curve->x[i], curve->lower[i]});
        yLow = std::min(yLow, curve->lower[i]);
        yHigh = std::max(yHigh, curve->upper[i]);
    }
    std::vector<std::vector<double>> xs;
    std::vector<double> ys;
    run.phiSamples(std::numeric_limits<std::size_t>::max(), xs, ys);
    QList<QPointF> samples;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        samples.append({xs[i][k], ys[i]});
        yLow = std::min(yLow, ys[i]);
        yHigh = std::max(yHigh, ys[i]);
    }
    m_curveSamples->setName(m_dimension == 1 ? tr("φ samples") : tr("samples, projected"));
    m_mean->replace(mean);
    m_bandUpper->replace(upper);
    m_bandLower->replace(lower);
    m_curveSamples->replace(samples);
    setAxisRange(m_curveX, lo, hi);
    setPaddedRange(m_curveY, yLow, yHigh);
    const auto marked = run.markedLambda();
    m_curveCurrent->setName(markerName(run));
    if (k < marked.size()) {
        const double span = yHigh - yLow;
        m_curveCurrent->replace(
            QList<QPointF>{{marked[k], yLow - 0.05 * span}, {marked[k], yHigh + 0.05 * span}});
    } else {
        m_curveCurrent->clear();
    }
}

QString SurrogateChart::markerName(const RunData& run) {
    return run.chosenLambda().empty() ? tr("current λ") : tr("λ*");
}

void SurrogateChart::setStatus(const QString& text) {
    m_statusText = text;
    m_status->setToolTip(text);
    elideStatus();
}

void SurrogateChart::elideStatus() {
    m_status->setText(
        m_status->fontMetrics().elidedText(m_statusText, Qt::ElideRight, m_status->width()));
}

bool SurrogateChart::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_status && event->type() == QEvent::Resize) {
        elideStatus();
    }
    return RunChart::eventFilter(watched, event);
}

QList<QPointF> SurrogateChart::mapMarkerPoints() const {
    return m_mapCurrent->points();
}
QList<QPointF> SurrogateChart::curveMarkerPoints() const {
    return m_curveCurrent->points();
}
QString SurrogateChart::mapMarkerName() const {
    return m_mapCurrent->name();
}
QString SurrogateChart::colourKey() const {
    return m_colourKey->name();
}
QList<QPointF> SurrogateChart::meanPoints() const {
    return m_mean->points();
}
QList<QPointF> SurrogateChart::bandUpperPoints() const {
    return m_bandUpper->points();
}
QList<QPointF> SurrogateChart::bandLowerPoints() const {
    return m_bandLower->points();
}
QList<QPointF> SurrogateChart::curveSamplePoints() const {
    return m_curveSamples->points();
}
QList<QPointF> SurrogateChart::mapSamplePoints() const {
    return m_mapSamples->points();
}
QList<QPointF> SurrogateChart::mapPathPoints() const {
    return m_mapPath->points();
}

} // namespace bt::ui
