#include "ui/charts/hyperparameter_view.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <QPainter>
#include <QPainterPath>
#include <QPalette>

#include "ui/charts/chart_support.h"
#include "ui/session/run_data.h"

namespace bt::ui {

HyperparameterView::HyperparameterView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("hyperparameterView"));
    setAutoFillBackground(true);
    setMinimumSize(320, 240);
    m_pendingPaint.setSingleShot(true);
    connect(&m_pendingPaint, &QTimer::timeout, this, [this] { update(); });
}

void HyperparameterView::refresh(const RunData& run) {
    m_trials.clear();
    m_best = -1;
    for (const auto& trace : run.methods()) {
        for (const auto& s : trace.samples) {
            if (!std::isfinite(methods::competingValLoss(s)) || s.lambda.empty()) {
                continue;
            }
            if (m_best < 0 ||
                s.metrics.valLoss < m_trials[static_cast<std::size_t>(m_best)].valLoss) {
                m_best = static_cast<int>(m_trials.size());
            }
            m_trials.push_back({s.lambda, s.metrics.valLoss, trace.method});
        }
    }
    rankTrials();
    const int d = run.dimension();
    m_names.clear();
    for (int i = 0; i < d; ++i) {
        m_names.push_back(QString::fromStdString(run.lambdaLabel(i)));
    }
    m_lower = run.lower();
    m_upper = run.upper();

    // Relevance from the latest GP over λ: the objective's own where Bayesian optimisation ran.
    m_relevance.clear();
    std::vector<double> scales;
    if (run.objectiveFit()) {
        scales = run.objectiveFit()->lengthScales;
        m_relevanceSource = tr("Bayesian optimisation's GP of the validation loss");
    } else if (!run.surrogateFits().empty()) {
        scales = run.surrogateFits().back().refit.lengthScales;
        m_relevanceSource = tr("the bilevel method's GP of φ (no Bayesian optimisation in this "
                               "run)");
    } else {
        m_relevanceSource.clear();
    }
    if (static_cast<int>(scales.size()) == d && d > 0) {
        double largest = 0.0;
        for (const double l : scales) {
            const double r = l > 0.0 && std::isfinite(l) ? 1.0 / l : 0.0;
            m_relevance.push_back(r);
            largest = std::max(largest, r);
        }
        for (double& r : m_relevance) {
            r = largest > 0.0 ? r / largest : 0.0;
        }
    }
    if (!m_lastPaint.isValid() || m_lastPaint.elapsed() >= kPaintMs) {
        update();
    } else if (!m_pendingPaint.isActive()) {
        m_pendingPaint.start(static_cast<int>(kPaintMs - m_lastPaint.elapsed()));
    }
}

void HyperparameterView::rankTrials() {
    const std::size_t n = m_trials.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return m_trials[a].valLoss < m_trials[b].valLoss;
    });
    // Equal losses share one shade, that of their mean rank.
    m_shades.assign(n, 1.0);
    for (std::size_t first = 0; first < n && n > 1;) {
        std::size_t end = first + 1;
        while (end < n && m_trials[order[end]].valLoss == m_trials[order[first]].valLoss) {
            ++end;
        }
        const double rank = 0.5 * static_cast<double>(first + end - 1);
        for (std::size_t r = first; r < end; ++r) {
            m_shades[order[r]] = 1.0 - rank / static_cast<double>(n - 1);
        }
        first = end;
    }
    m_lossAxis = LossAxis{};
    if (n == 0) {
        return;
    }
    const double low = m_trials[order.front()].valLoss;
    const double high = m_trials[order.back()].valLoss;
    const double upperQuartile = m_trials[order[(3 * (n - 1)) / 4]].valLoss;
    const double reach = low + 3.0 * (upperQuartile - low);
    m_lossAxis.low = low;
    m_lossAxis.clipped = upperQuartile > low && high > reach;
    m_lossAxis.high = m_lossAxis.clipped ? reach : high;
}

void HyperparameterView::paintEvent(QPaintEvent*) {
    m_lastPaint.restart();
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF whole = QRectF(rect()).adjusted(12, 8, -12, -8);
    // The coordinates take the room; the relevance bars a column at the right.
    const double barsWidth = std::clamp(whole.width() * 0.28, 160.0, 320.0);
    paintCoordinates(painter, whole.adjusted(0, 0, -barsWidth - 16, 0));
    paintRelevance(painter,
                   QRectF(whole.right() - barsWidth, whole.top(), barsWidth, whole.height()));
}

double HyperparameterView::paintTitle(QPainter& painter, const QRectF& area,
                                      const QString& title) const {
    painter.setPen(palette().color(QPalette::WindowText));
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    // Wrapped, not clipped, in a narrow view.
    const QRectF box(area.left(), area.top(), area.width(), area.height());
    const QRectF used = painter.boundingRect(box, Qt::AlignHCenter | Qt::TextWordWrap, title);
    painter.drawText(box, Qt::AlignHCenter | Qt::TextWordWrap, title);
    const double height = used.height();
    painter.setFont(font());
    return height;
}

void HyperparameterView::paintCoordinates(QPainter& painter, const QRectF& area) const {
    const double titleHeight =
        paintTitle(painter, area,
                   tr("Every training: λ and its validation loss (colour by rank: the lowest "
                      "bright, the highest dark; red: the best)"));
    const int d = static_cast<int>(m_names.size());
    if (d == 0 || m_trials.empty()) {
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap,
                         tr("The trainings of every method appear here as they finish."));
        return;
    }
    const double lineHeight = QFontMetricsF(font()).height();
    const QRectF plot = area.adjusted(40, titleHeight + lineHeight * 1.6, -40, -lineHeight * 2.2);
    const int axes = d + 1; // λ entries, then the validation loss
    const auto axisX = [&](int k) {
        return plot.left() + plot.width() * k / std::max(1, axes - 1);
    };
    const double lossSpan =
        m_lossAxis.high > m_lossAxis.low ? m_lossAxis.high - m_lossAxis.low : 1.0;
    // y of a value on axis k: λ over its box, the loss over its axis (low at the bottom).
    const auto axisY = [&](int k, double value) {
        double t = 0.5;
        if (k < d) {
            const auto i = static_cast<std::size_t>(k);
            const double span = m_upper[i] - m_lower[i];
            t = span > 0.0 ? (value - m_lower[i]) / span : 0.5;
        } else {
            t = (value - m_lossAxis.low) / lossSpan;
        }
        return plot.bottom() - std::clamp(t, 0.0, 1.0) * plot.height();
    };
    // Lines, the worst first so that the best lie on top.
    std::vector<std::size_t> order(m_trials.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return m_trials[a].valLoss > m_trials[b].valLoss;
    });
    const bool dark = darkPalette();
    for (const auto i : order) {
        const auto& t = m_trials[i];
        QPainterPath path;
        for (int k = 0; k < axes; ++k) {
            const double value =
                k < d ? (static_cast<std::size_t>(k) < t.lambda.size() ? t.lambda[k] : 0.0)
                      : t.valLoss;
            const QPointF p(axisX(k), axisY(k, value));
            if (k == 0) {
                path.moveTo(p);
            } else {
                path.lineTo(p);
            }
        }
        const bool best = static_cast<int>(i) == m_best;
        QColor colour = best ? methodColor("bilevel") : viridis(m_shades[i]);
        // Viridis's light end is pale on a light window: darker there, and more opaque.
        if (!best && !dark) {
            colour = colour.darker(135);
        }
        colour.setAlpha(best ? 255 : dark ? 150 : 190);
        painter.setPen(QPen(colour, best ? 3.0 : 1.2));
        painter.drawPath(path);
    }
    paintAxes(painter, plot);
}

void HyperparameterView::paintAxes(QPainter& painter, const QRectF& plot) const {
    const int d = static_cast<int>(m_names.size());
    const int axes = d + 1;
    const double lineHeight = QFontMetricsF(font()).height();
    // Axes on top, with their names and ends.
    painter.setPen(QPen(palette().color(QPalette::WindowText), 1.0));
    for (int k = 0; k < axes; ++k) {
        const double x = plot.left() + plot.width() * k / std::max(1, axes - 1);
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        const QString name = k < d ? m_names[static_cast<std::size_t>(k)] : tr("val. loss");
        const double w = plot.width() / std::max(1, axes - 1);
        painter.drawText(QRectF(x - w / 2, plot.bottom() + 4, w, lineHeight),
                         Qt::AlignHCenter | Qt::AlignTop,
                         QFontMetricsF(font()).elidedText(name, Qt::ElideRight, w - 4));
        const double top = k < d ? m_upper[static_cast<std::size_t>(k)] : m_lossAxis.high;
        const double bottom = k < d ? m_lower[static_cast<std::size_t>(k)] : m_lossAxis.low;
        const bool atLeast = k == d && m_lossAxis.clipped;
        painter.drawText(
            QRectF(x - w / 2, plot.top() - lineHeight - 2, w, lineHeight), Qt::AlignHCenter,
            (atLeast ? QStringLiteral("≥ ") : QString()) + QString::number(top, 'g', 3));
        painter.drawText(QRectF(x - w / 2, plot.bottom() + lineHeight + 4, w, lineHeight),
                         Qt::AlignHCenter, QString::number(bottom, 'g', 3));
    }
}

void HyperparameterView::paintRelevance(QPainter& painter, const QRectF& area) const {
    const QColor text = palette().color(QPalette::WindowText);
    paintTitle(painter, area, tr("Which λ matters"));
    const double lineHeight = QFontMetricsF(font()).height();
    if (m_relevance.empty()) {
        painter.drawText(area.adjusted(0, lineHeight * 2, 0, 0), Qt::AlignTop | Qt::TextWordWrap,
                         tr("Shown once a GP over λ is fitted (Bayesian optimisation or the "
                            "bilevel method)."));
        return;
    }
    double y = area.top() + lineHeight * 2;
    const double labelWidth = area.width() * 0.42;
    const double barHeight = std::max(lineHeight, 14.0);
    for (std::size_t i = 0; i < m_relevance.size(); ++i) {
        painter.setPen(text);
        painter.drawText(
            QRectF(area.left(), y, labelWidth - 6, barHeight), Qt::AlignRight | Qt::AlignVCenter,
            QFontMetricsF(font()).elidedText(m_names[i], Qt::ElideLeft, labelWidth - 6));
        const QRectF bar(area.left() + labelWidth, y + 2,
                         (area.width() - labelWidth) * m_relevance[i], barHeight - 4);
        painter.fillRect(bar, seriesColor(static_cast<int>(i)));
        y += barHeight + 4;
    }
    painter.drawText(QRectF(area.left(), y + 6, area.width(), area.bottom() - y - 6),
                     Qt::AlignTop | Qt::TextWordWrap,
                     tr("Relevance 1/ℓ of the length scales of %1, relative to the largest: a "
                        "short bar is an entry the objective hardly changes with.")
                         .arg(m_relevanceSource));
}

} // namespace bt::ui
