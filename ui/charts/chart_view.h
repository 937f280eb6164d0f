#pragma once

#include <functional>
#include <utility>
#include <vector>

#include <QChartView>
#include <QPointF>
#include <QRectF>
#include <QString>

class QAbstractAxis;
class QXYSeries;

namespace bt::ui {

/// The chart view of every view of the app, explorable with the mouse:
/// - hover a point or a line for its values (the series' name and its x and y under their axis
///   titles, or what the chart's hover text says);
/// - drag a rectangle to zoom in, turn the wheel to zoom at the cursor, drag with the middle
///   button (or Shift and the left button) to pan; double-click, right-click or press Escape to
///   go back to the view the chart chose;
/// - click a legend entry to hide or show its series (a hidden one is faded in the legend; its
///   opacity is 0, so the chart's redraws keep it hidden).
/// A zoom holds while a live run redraws the chart (reapplyZoom after each refresh).
class ChartView : public QChartView {
    Q_OBJECT

public:
    /// Text shown when the pointer rests on `point` of `series`; empty for the default text.
    using HoverText = std::function<QString(const QXYSeries* series, const QPointF& point)>;

    explicit ChartView(QChart* chart, QWidget* parent = nullptr);

    void setHoverText(HoverText text) { m_hoverText = std::move(text); }
    /// The text of the last hover (for tests); empty when the pointer left the point.
    const QString& hoverText() const { return m_lastHover; }

    /// Whether the user has zoomed or panned since the last reset.
    bool zoomed() const { return m_zoomed; }
    /// Shows `plotRect` (in the view's chart coordinates) as the whole plot area, as a drag
    /// would.
    void zoomTo(const QRectF& plotRect);
    /// Sets the axes back to the user's zoom after a refresh changed them; nothing when not
    /// zoomed.
    void reapplyZoom();
    /// Back to the ranges the chart chose.
    void resetZoom();

    /// Connects the chart's series and legend entries that are not yet (a redraw may add
    /// some); a paint does it too.
    void attachSeries();
    /// A line drawn across the middle of the plot while there is nothing to explore (no run
    /// yet); empty: none. The legend is hidden meanwhile.
    void setEmptyText(const QString& text);
    const QString& emptyText() const { return m_emptyText; }
    /// Hides or shows a series as a click on its legend entry does.
    void toggleSeries(QAbstractSeries* series);

protected:
    void paintEvent(QPaintEvent* event) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    /// Takes Esc from the window's shortcuts while zoomed: Esc first resets the zoom, and only
    /// an Esc on an unzoomed chart reaches the window (Run ▸ Stop).
    bool event(QEvent* event) override;

private:
    void legendClicked();
    void hovered(const QPointF& point, bool state);
    void rememberZoom();

    HoverText m_hoverText;
    QString m_lastHover;
    bool m_zoomed = false;
    /// The axes' ranges as the user left them.
    std::vector<std::pair<QAbstractAxis*, std::pair<double, double>>> m_ranges;
    QString m_emptyText;
    bool m_panning = false;
    QPointF m_panFrom;
};

/// A view of `chart` filling `owner` (a layout without margins), whose hover reads `text`: the
/// one-chart views' frame.
ChartView* fillWithChart(QWidget* owner, QChart* chart, ChartView::HoverText text);

} // namespace bt::ui
