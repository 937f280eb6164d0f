#include "ui/charts/chart_view.h"

#include <cmath>

#include <QAbstractAxis>
#include <QChart>
#include <QCursor>
#include <QKeyEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QPainter>
#include <QPalette>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QWheelEvent>
#include <QXYSeries>

namespace bt::ui {

namespace {

// The axis of `series` in `orientation`, if any.
QAbstractAxis* axisOf(QAbstractSeries* series, Qt::Orientation orientation) {
    for (auto* axis : series->attachedAxes()) {
        if (axis->orientation() == orientation) {
            return axis;
        }
    }
    return nullptr;
}

QString axisTitle(const QAbstractAxis* axis, const QString& fallback) {
    return axis != nullptr && !axis->titleText().isEmpty() ? axis->titleText() : fallback;
}

QString number(double value) {
    return QString::number(value, 'g', std::abs(value) >= 1e4 ? 6 : 4);
}

// Colour `c` with its alpha scaled: a hidden series' legend entry is drawn faint.
QColor faded(QColor c, bool hidden) {
    c.setAlphaF(hidden ? 0.35F : 1.0F);
    return c;
}

} // namespace

ChartView::ChartView(QChart* chart, QWidget* parent) : QChartView(chart, parent) {
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::RectangleRubberBand);
    setMouseTracking(true);
    setFocusPolicy(Qt::ClickFocus);
    setStatusTip(tr("Drag to zoom, wheel to zoom at the pointer, middle button or Shift+drag to "
                    "pan; double-click, right-click or Esc to reset. Click a legend entry to hide "
                    "or show its series."));
}

void ChartView::attachSeries() {
    // Series and legend entries appear as runs add them: connect each once.
    for (auto* marker : chart()->legend()->markers()) {
        connect(marker, &QLegendMarker::clicked, this, &ChartView::legendClicked,
                Qt::UniqueConnection);
    }
    for (auto* series : chart()->series()) {
        if (auto* xy = qobject_cast<QXYSeries*>(series)) {
            connect(xy, &QXYSeries::hovered, this, &ChartView::hovered, Qt::UniqueConnection);
        }
    }
}

void ChartView::paintEvent(QPaintEvent* event) {
    attachSeries();
    QChartView::paintEvent(event);
}

void ChartView::setEmptyText(const QString& text) {
    if (text == m_emptyText) {
        return;
    }
    m_emptyText = text;
    chart()->legend()->setVisible(text.isEmpty());
    viewport()->update();
}

void ChartView::drawForeground(QPainter* painter, const QRectF& rect) {
    QChartView::drawForeground(painter, rect);
    if (m_emptyText.isEmpty()) {
        return;
    }
    painter->save();
    QFont font = painter->font();
    font.setPointSizeF(font.pointSizeF() * 1.15);
    painter->setFont(font);
    const QRectF area = chart()->plotArea().adjusted(24, 24, -24, -24);
    const QRectF box = chart()->mapToScene(area).boundingRect();
    const int flags = Qt::AlignCenter | Qt::TextWordWrap;
    // On a card of the base colour: the grid's lines ran through the words. (Measured before
    // the pen goes: QPainter measures no text without a pen.)
    const QRectF card = painter->boundingRect(box, flags, m_emptyText).adjusted(-12, -8, 12, 8);
    QColor cardColour = palette().color(QPalette::Base);
    cardColour.setAlpha(235);
    painter->setPen(Qt::NoPen);
    painter->setBrush(cardColour);
    painter->drawRoundedRect(card, 6, 6);
    painter->setPen(palette().color(QPalette::PlaceholderText));
    painter->drawText(box, flags, m_emptyText);
    painter->restore();
}

void ChartView::legendClicked() {
    if (auto* marker = qobject_cast<QLegendMarker*>(sender())) {
        toggleSeries(marker->series());
    }
}

void ChartView::toggleSeries(QAbstractSeries* series) {
    if (series == nullptr) {
        return;
    }
    // Hidden by its opacity, not setVisible: Qt would take the legend entry away with it, and
    // the entry must stay, faded, to be clicked back.
    const bool hidden = series->opacity() > 0.0;
    series->setOpacity(hidden ? 0.0 : 1.0);
    for (auto* marker : chart()->legend()->markers(series)) {
        marker->setLabelBrush(QBrush(faded(marker->labelBrush().color(), hidden)));
        QBrush brush = marker->brush();
        brush.setColor(faded(brush.color(), hidden));
        marker->setBrush(brush);
        QPen pen = marker->pen();
        pen.setColor(faded(pen.color(), hidden));
        marker->setPen(pen);
    }
}

void ChartView::hovered(const QPointF& point, bool state) {
    auto* series = qobject_cast<QXYSeries*>(sender());
    if (!state || series == nullptr || series->opacity() == 0.0) {
        m_lastHover.clear();
        QToolTip::hideText();
        return;
    }
    QString text = m_hoverText ? m_hoverText(series, point) : QString();
    if (text.isEmpty()) {
        const QString name = series->name().isEmpty() ? tr("point") : series->name();
        text = QStringLiteral("%1\n%2: %3\n%4: %5")
                   .arg(name, axisTitle(axisOf(series, Qt::Horizontal), QStringLiteral("x")),
                        number(point.x()),
                        axisTitle(axisOf(series, Qt::Vertical), QStringLiteral("y")),
                        number(point.y()));
    }
    m_lastHover = text;
    QToolTip::showText(QCursor::pos(), text, this);
}

void ChartView::rememberZoom() {
    m_zoomed = true;
    m_ranges.clear();
    for (auto* axis : chart()->axes()) {
        if (auto* value = qobject_cast<QValueAxis*>(axis)) {
            m_ranges.push_back({axis, {value->min(), value->max()}});
        } else if (auto* log = qobject_cast<QLogValueAxis*>(axis)) {
            m_ranges.push_back({axis, {log->min(), log->max()}});
        }
    }
}

void ChartView::zoomTo(const QRectF& plotRect) {
    if (plotRect.width() < 2.0 || plotRect.height() < 2.0) {
        return; // a click, not a drag
    }
    chart()->zoomIn(plotRect);
    rememberZoom();
}

void ChartView::reapplyZoom() {
    if (!m_zoomed) {
        return;
    }
    for (const auto& [axis, range] : m_ranges) {
        axis->setRange(range.first, range.second);
    }
}

void ChartView::resetZoom() {
    if (!m_zoomed) {
        return;
    }
    m_zoomed = false;
    m_ranges.clear();
    chart()->zoomReset();
}

void ChartView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0.0) {
        QChartView::wheelEvent(event);
        return;
    }
    // Zoom about the pointer: the point under it stays where it is.
    const QRectF area = chart()->plotArea();
    const QPointF at = chart()->mapFromScene(mapToScene(event->position().toPoint()));
    const double factor = std::pow(0.8, steps);
    QRectF rect(at.x() - (at.x() - area.left()) * factor, at.y() - (at.y() - area.top()) * factor,
                area.width() * factor, area.height() * factor);
    zoomTo(rect);
    event->accept();
}

void ChartView::mousePressEvent(QMouseEvent* event) {
    const bool pan =
        event->button() == Qt::MiddleButton ||
        (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
    if (pan) {
        m_panning = true;
        m_panFrom = event->position();
        setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    if (event->button() == Qt::RightButton) {
        event->accept(); // reset on release, not QChartView's zoom-out
        return;
    }
    QChartView::mousePressEvent(event);
}

void ChartView::mouseMoveEvent(QMouseEvent* event) {
    if (m_panning) {
        const QPointF delta = event->position() - m_panFrom;
        m_panFrom = event->position();
        chart()->scroll(-delta.x(), delta.y());
        rememberZoom();
        event->accept();
        return;
    }
    QChartView::mouseMoveEvent(event);
}

void ChartView::mouseReleaseEvent(QMouseEvent* event) {
    if (m_panning) {
        m_panning = false;
        unsetCursor();
        event->accept();
        return;
    }
    if (event->button() == Qt::RightButton) {
        resetZoom();
        event->accept();
        return;
    }
    const bool wasZoomed = m_zoomed;
    QChartView::mouseReleaseEvent(event);
    // QChartView zoomed to the dragged rectangle: keep it through live redraws.
    if (event->button() == Qt::LeftButton && rubberBand() != QChartView::NoRubberBand) {
        if (wasZoomed || chart()->isZoomed()) {
            rememberZoom();
        }
    }
}

void ChartView::mouseDoubleClickEvent(QMouseEvent* event) {
    resetZoom();
    event->accept();
}

bool ChartView::event(QEvent* event) {
    if (event->type() == QEvent::ShortcutOverride && m_zoomed &&
        static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
        event->accept(); // delivered as a key press below, not as the window's shortcut
        return true;
    }
    return QChartView::event(event);
}

void ChartView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape && m_zoomed) {
        resetZoom();
        event->accept();
        return;
    }
    QChartView::keyPressEvent(event);
}

ChartView* fillWithChart(QWidget* owner, QChart* chart, ChartView::HoverText text) {
    auto* view = new ChartView(chart, owner);
    view->setHoverText(std::move(text));
    auto* layout = new QVBoxLayout(owner);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view);
    return view;
}

} // namespace bt::ui
