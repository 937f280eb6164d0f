#pragma once

#include <QList>
#include <QWidget>

class QChart;
class QChartView;
class QValueAxis;

namespace bt::ui {

class RunData;

/// One view of a run's charts (a tab of the main window). Subclasses rebuild their series from
/// the RunData in refresh(), replacing each series' points in one call, with a bounded number
/// of points; LiveCharts calls refresh at most once per frame.
class RunChart : public QWidget {
    Q_OBJECT

public:
    using QWidget::QWidget;

    /// Redraws from `data`.
    virtual void refresh(const RunData& run) = 0;
    /// Finishes drawing what refresh() computes off the GUI thread, waiting for it (exports,
    /// captures, the report); nothing to do for views that draw at once.
    virtual void settle() {}
    /// The charts of this view, left to right (the surrogate view of d > 2 has two).
    virtual QList<QChartView*> chartViews() const = 0;
    /// The view's title, for tabs, exports and the report ("Trajectories").
    virtual QString title() const = 0;
    /// A file-name stem ("trajectories").
    virtual QString fileStem() const = 0;
};

/// A RunChart of one chart in one view over a value axis x and a value axis y (the losses, the
/// trajectories, the comparison). It adds no signals or slots, so it has no Q_OBJECT: to Qt, its
/// subclasses are RunCharts.
class SingleViewChart : public RunChart {
public:
    using RunChart::RunChart;

    QList<QChartView*> chartViews() const override { return {m_view}; }

protected:
    QChartView* m_view = nullptr;
    QChart* m_chart = nullptr;
    QValueAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
};

} // namespace bt::ui
