#include "ui/surrogate_chart.h"

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

#include <Eigen/Core>

#include "engine/gp/gaussian_process.h"
#include "engine/gp/posterior_grid.h"
#include "ui/chart_support.h"
#include "ui/run_data.h"

namespace bt::ui {

namespace {

QChartView* makeView(QChart* chart, QWidget* parent) {
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    return view;
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

    m_controls = new QWidget(this);
    auto* bar = new QHBoxLayout(m_controls);
    bar->setContentsMargins(6, 2, 6, 2);
    bar->addWidget(new QLabel(tr("Heat map:"), m_controls));
    m_shadingCombo = new QComboBox(m_controls);
    m_shadingCombo->setObjectName(QStringLiteral("surrogateShading"));
    m_shadingCombo->addItems({tr("posterior mean φ̂"), tr("posterior σ")});
    bar->addWidget(m_shadingCombo);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("1-D slice along:"), m_controls));
    m_sliceCombo = new QComboBox(m_controls);
    m_sliceCombo->setObjectName(QStringLiteral("surrogateSlice"));
    bar->addWidget(m_sliceCombo);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("2-D slice over:"), m_controls));
    m_pairXCombo = new QComboBox(m_controls);
    m_pairXCombo->setObjectName(QStringLiteral("surrogatePairX"));
    m_pairYCombo = new QComboBox(m_controls);
    m_pairYCombo->setObjectName(QStringLiteral("surrogatePairY"));
    bar->addWidget(m_pairXCombo);
    bar->addWidget(new QLabel(QStringLiteral("×"), m_controls));
    bar->addWidget(m_pairYCombo);
    // The status takes the room left and no more: a long message ("GP not drawn: …") must not
    // widen the charts' pane and move the window's splitter. It is elided to fit (elideStatus).
    m_status = new QLabel(m_controls);
    m_status->setObjectName(QStringLiteral("surrogateStatus"));
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_status->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_status->installEventFilter(this); // re-elided at every width
    bar->addWidget(m_status, 1);
    layout->addWidget(m_controls);

    // 1-D: mean, ±2σ band, samples, current λ.
    m_curveChart = new QChart;
    styleChart(m_curveChart, tr("Surrogate φ̂"));
    m_curveX = makeValueAxis(tr("λ = ln(L2 coefficient)"), -10.0, 0.0);
    m_curveY = makeValueAxis(tr("φ(λ): training objective at trained weights"), 0.0, 1.0);
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

    // 2-D: heat map (plot-area background), samples, λ path, current λ.
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

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    m_curveView = makeView(m_curveChart, splitter);
    m_mapView = makeView(m_mapChart, splitter);
    splitter->addWidget(m_curveView);
    splitter->addWidget(m_mapView);
    layout->addWidget(splitter, 1);

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
    updateControls(0);
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
    return m_gp && m_gp->isReady() ? m_gp->sampleCount() : 0;
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
    const bool shared =
        m_data != nullptr && m_data->config().hyperparameters.scope == config::LambdaScope::Shared;
    if (m_sliceCombo->count() != dimension) {
        const QSignalBlocker b1(m_sliceCombo);
        const QSignalBlocker b2(m_pairXCombo);
        const QSignalBlocker b3(m_pairYCombo);
        m_sliceCombo->clear();
        m_pairXCombo->clear();
        m_pairYCombo->clear();
        for (int i = 0; i < dimension; ++i) {
            const auto name = lambdaName(i, dimension, shared);
            m_sliceCombo->addItem(name);
            m_pairXCombo->addItem(name);
            m_pairYCombo->addItem(name);
        }
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
    const bool slices = dimension > 2;
    for (auto* w : {static_cast<QWidget*>(m_sliceCombo), static_cast<QWidget*>(m_pairXCombo),
                    static_cast<QWidget*>(m_pairYCombo)}) {
        w->setEnabled(slices);
    }
    m_shadingCombo->setEnabled(dimension >= 2);
    m_curveView->setVisible(dimension == 1 || dimension > 2 || dimension == 0);
    m_mapView->setVisible(dimension >= 2);
}

bool SurrogateChart::updateModel(const RunData& run) {
    const auto& fits = run.surrogateFits();
    const bool sameRun = m_modelRun == run.runId();
    if (sameRun && m_gp && m_gp->isReady() && fits.size() == m_fitsSeen &&
        (!fits.empty() || m_modelFitted)) {
        return true;
    }
    const int d = run.dimension();
    if (d == 0) {
        return false;
    }
    std::vector<std::vector<double>> xs;
    std::vector<double> ys;
    const bool fromEvent = !fits.empty();
    if (fromEvent) {
        run.phiSamples(fits.back().samplesSeen, xs, ys);
    } else if (run.result()) {
        run.phiSamples(std::numeric_limits<std::size_t>::max(), xs, ys);
    } else {
        return false; // a live run before its first refit
    }
    if (xs.empty()) {
        return false;
    }
    const bool logScale = run.config().bilevel.logSurrogate;
    Eigen::MatrixXd x(static_cast<Eigen::Index>(xs.size()), d);
    Eigen::VectorXd y(static_cast<Eigen::Index>(ys.size()));
    for (std::size_t i = 0; i < xs.size(); ++i) {
        for (int j = 0; j < d; ++j) {
            x(static_cast<Eigen::Index>(i), j) = xs[i][static_cast<std::size_t>(j)];
        }
        // The method's GP models log φ when bilevel.log_surrogate is on: so does this one, and
        // its refit hyperparameters then apply.
        y(static_cast<Eigen::Index>(i)) = logScale ? std::log(std::max(ys[i], 1e-12)) : ys[i];
    }
    gp::GpOptions options;
    options.kernel = gp::KernelKind::Matern52; // the bilevel method's surrogate (PhiSurrogate)
    options.lower = run.lower();
    options.upper = run.upper();
    options.seed = run.config().training.seed;
    auto model = std::make_unique<gp::GaussianProcess>(options);
    try {
        gp::FitReport report;
        if (fromEvent) {
            const auto& refit = fits.back().refit;
            gp::GpHyperparameters hyper{refit.lengthScales, refit.signalVariance,
                                        refit.noiseVariance};
            report = model->condition(x, y, hyper);
        } else {
            report = model->fit(x, y);
        }
        if (!report.ok) {
            setStatus(tr("GP not drawn: %1").arg(QString::fromStdString(report.message)));
            return false;
        }
    } catch (const std::exception& e) {
        setStatus(tr("GP not drawn: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    m_gp = std::move(model);
    m_logScale = logScale;
    m_fitsSeen = fits.size();
    m_modelRun = run.runId();
    m_modelFitted = !fromEvent;
    setStatus(fromEvent ? tr("GP refit %1: %2 samples").arg(fits.size()).arg(m_gp->sampleCount())
                        : tr("GP fitted here: %1 samples").arg(m_gp->sampleCount()));
    return true;
}

void SurrogateChart::refresh(const RunData& run) {
    m_data = &run;
    const int d = run.dimension();
    m_dimension = d;
    updateControls(d);
    const bool ready = run.hasBilevel() && updateModel(run);
    if (!ready) {
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
        return;
    }
    if (d == 1) {
        drawCurve(run, 0);
    } else if (d == 2) {
        drawMap(run, 0, 1);
    } else {
        drawCurve(run, m_sliceDimension);
        drawMap(run, m_pairX, m_pairY);
    }
}

void SurrogateChart::drawCurve(const RunData& run, int dimension) {
    const auto k = static_cast<std::size_t>(dimension);
    const double lo = run.lower()[k];
    const double hi = run.upper()[k];
    auto through = run.currentLambda();
    if (through.size() != static_cast<std::size_t>(m_dimension)) {
        through.assign(static_cast<std::size_t>(m_dimension), 0.5 * (lo + hi));
    }
    const auto curve = m_dimension == 1
                           ? gp::posteriorCurve(*m_gp, lo, hi, kCurvePoints)
                           : gp::posteriorSlice(*m_gp, through, dimension, lo, hi, kCurvePoints);
    const bool shared = run.config().hyperparameters.scope == config::LambdaScope::Shared;
    const QString name = lambdaName(dimension, m_dimension, shared);
    m_curveChart->setTitle(m_dimension == 1
                               ? (m_logScale ? tr("Surrogate φ̂ (GP on log φ: exp of mean ± 2σ) "
                                                  "with the φ samples")
                                             : tr("Surrogate φ̂ (GP mean ± 2σ) with the φ samples"))
                               : tr("φ̂: slice along %1 through the current λ").arg(name));
    m_curveX->setTitleText(tr("%1 = ln(L2 coefficient)").arg(name));
    QList<QPointF> mean, upper, lower;
    double yLow = std::numeric_limits<double>::infinity();
    double yHigh = -std::numeric_limits<double>::infinity();
    // On log φ the band exp(m ± 2σ) is the log-normal's, asymmetric about exp(m).
    const auto toPhi = [this](double v) { return m_logScale ? std::exp(v) : v; };
    for (std::size_t i = 0; i < curve.x.size(); ++i) {
        mean.append({curve.x[i], toPhi(curve.mean[i])});
        upper.append({curve.x[i], toPhi(curve.upper[i])});
        lower.append({curve.x[i], toPhi(curve.lower[i])});
        yLow = std::min(yLow, toPhi(curve.lower[i]));
        yHigh = std::max(yHigh, toPhi(curve.upper[i]));
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
    const auto current = run.currentLambda();
    if (k < current.size()) {
        const double span = yHigh - yLow;
        m_curveCurrent->replace(
            QList<QPointF>{{current[k], yLow - 0.05 * span}, {current[k], yHigh + 0.05 * span}});
    } else {
        m_curveCurrent->clear();
    }
}

void SurrogateChart::drawMap(const RunData& run, int dx, int dy) {
    const auto kx = static_cast<std::size_t>(dx);
    const auto ky = static_cast<std::size_t>(dy);
    const bool shared = run.config().hyperparameters.scope == config::LambdaScope::Shared;
    const QString nameX = lambdaName(dx, m_dimension, shared);
    const QString nameY = lambdaName(dy, m_dimension, shared);
    if (dx == dy) {
        m_mapChart->setTitle(tr("Surrogate φ̂: choose two different dimensions"));
        m_heat = QImage();
        updateHeatBrush();
        return;
    }
    gp::PosteriorSurface surface;
    if (m_dimension == 2 && dx == 0 && dy == 1) {
        surface = gp::posteriorSurface(*m_gp, run.lower(), run.upper(), kGridSize);
    } else {
        auto through = run.currentLambda();
        if (through.size() != static_cast<std::size_t>(m_dimension)) {
            through.resize(static_cast<std::size_t>(m_dimension));
            for (std::size_t i = 0; i < through.size(); ++i) {
                through[i] = 0.5 * (run.lower()[i] + run.upper()[i]);
            }
        }
        surface = gp::posteriorSlicePair(*m_gp, through, dx, dy, run.lower()[kx], run.upper()[kx],
                                         run.lower()[ky], run.upper()[ky], kGridSize);
    }
    if (m_logScale) {
        // Back to φ's scale: exp(m), and σ by the delta method, exp(m)·σ.
        for (std::size_t i = 0; i < surface.mean.size(); ++i) {
            surface.mean[i] = std::exp(surface.mean[i]);
            if (i < surface.stddev.size()) {
                surface.stddev[i] *= surface.mean[i];
            }
        }
    }
    const bool sigma = m_shading == Shading::StdDev;
    double low = 0.0;
    double high = 0.0;
    m_heat = heatMapImage(sigma ? surface.stddev : surface.mean, surface.size, &low, &high);
    const QString what = sigma ? tr("σ of φ̂") : tr("φ̂ mean");
    m_mapChart->setTitle(m_dimension == 2
                             ? tr("Surrogate φ̂ heat map (%1) with samples and the λ path").arg(what)
                             : tr("φ̂: slice over (%1, %2), %3").arg(nameX, nameY, what));
    m_mapX->setTitleText(tr("%1 = ln(L2 coefficient)").arg(nameX));
    m_mapY->setTitleText(tr("%1 = ln(L2 coefficient)").arg(nameY));
    // Padded, so that samples and the path on the box's edges show whole; the heat image
    // covers the box alone (updateHeatBrush).
    setPaddedRange(m_mapX, run.lower()[kx], run.upper()[kx]);
    setPaddedRange(m_mapY, run.lower()[ky], run.upper()[ky]);
    m_mapBox = QRectF(QPointF(run.lower()[kx], run.lower()[ky]),
                      QPointF(run.upper()[kx], run.upper()[ky]));
    QLinearGradient gradient(0, 0, 1, 0);
    gradient.setCoordinateMode(QGradient::ObjectMode);
    for (int i = 0; i <= 8; ++i) {
        gradient.setColorAt(i / 8.0, viridis(i / 8.0));
    }
    m_colourKey->setBrush(gradient);
    m_colourKey->setName(
        tr("%1: %2 … %3").arg(what, QString::number(low, 'g', 3), QString::number(high, 'g', 3)));

    std::vector<std::vector<double>> xs;
    std::vector<double> ys;
    run.phiSamples(std::numeric_limits<std::size_t>::max(), xs, ys);
    QList<QPointF> samples;
    for (const auto& x : xs) {
        samples.append({x[kx], x[ky]});
    }
    m_mapSamples->replace(samples);
    QList<QPointF> path;
    const auto start = run.startLambda();
    if (start.size() > std::max(kx, ky)) {
        path.append({start[kx], start[ky]});
    }
    for (const auto& it : run.outerIterations()) {
        path.append({it.lambda[kx], it.lambda[ky]});
    }
    const auto current = run.currentLambda();
    if (current.size() > std::max(kx, ky)) {
        path.append({current[kx], current[ky]});
        m_mapCurrent->replace(QList<QPointF>{{current[kx], current[ky]}});
    } else {
        m_mapCurrent->clear();
    }
    m_mapPath->replace(path);
    updateHeatBrush();
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

void SurrogateChart::updateHeatBrush() {
    if (m_heat.isNull() || m_dimension < 2) {
        m_mapChart->setPlotAreaBackgroundVisible(false);
        return;
    }
    const QRectF plot = m_mapChart->plotArea();
    if (plot.width() < 2 || plot.height() < 2) {
        return;
    }
    // The image is stretched over the box's part of the plot area (the axes are padded around
    // the box) on a transparent canvas the size of the plot area, and the brush anchored at its
    // corner: brushes tile from the chart item's origin.
    const QPointF topLeft =
        m_mapChart->mapToPosition({m_mapBox.left(), m_mapBox.bottom()}, m_mapSamples);
    const QPointF bottomRight =
        m_mapChart->mapToPosition({m_mapBox.right(), m_mapBox.top()}, m_mapSamples);
    QImage canvas(plot.size().toSize(), QImage::Format_ARGB32_Premultiplied);
    canvas.fill(Qt::transparent);
    {
        QPainter painter(&canvas);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.drawImage(QRectF(topLeft - plot.topLeft(), bottomRight - plot.topLeft()), m_heat);
    }
    QBrush brush(canvas);
    brush.setTransform(QTransform::fromTranslate(plot.left(), plot.top()));
    m_mapChart->setPlotAreaBackgroundBrush(brush);
    m_mapChart->setPlotAreaBackgroundPen(Qt::NoPen);
    m_mapChart->setPlotAreaBackgroundVisible(true);
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
