#pragma once

#include <map>
#include <string>
#include <vector>

#include "ui/charts/run_chart.h"

class QComboBox;
class QHBoxLayout;
class QLabel;
class QAbstractAxis;
class QLineSeries;
class QLogValueAxis;
class QXYSeries;
class QScatterSeries;
class QShowEvent;
class QSplitter;
class QTableWidget;

namespace bt::events {
struct OuterIterationEvent;
}

namespace bt::ui {

struct MethodTrace;

/// Comparison: each method's anytime curve — the best model so far by validation loss, its
/// validation loss, test accuracy or test loss — against cumulative epochs or seconds, and a
/// table of the methods' results with the best value of each column marked.
class ComparisonChart : public SingleViewChart {
    Q_OBJECT

public:
    /// ValidationLossAboveLowest: the best so far's validation loss less the lowest any method
    /// reached, on a logarithmic axis, where the curves that a linear axis draws as one line at
    /// its bottom come apart (the lowest itself at the axis's floor, a thousandth of the span).
    enum class Metric { ValidationLoss, TestAccuracy, TestLoss, ValidationLossAboveLowest };
    enum class Cost { Epochs, Seconds };
    /// Points drawn per curve, at most (the curves are thinned, keeping each bucket's extremes).
    static constexpr int kMaxCurvePoints = 1200;

    explicit ComparisonChart(QWidget* parent = nullptr);

    void refresh(const RunData& run) override;
    QString title() const override { return tr("Comparison"); }
    QString fileStem() const override { return QStringLiteral("comparison"); }

    void setMetric(Metric metric);
    Metric metric() const { return m_metric; }
    void setCost(Cost cost);
    Cost cost() const { return m_cost; }
    QTableWidget* table() const { return m_table; }
    /// The recommendation line above the table; empty while no method has a recommended model.
    QString recommendationText() const;
    /// Whether the table marks each column's best and names a recommended model (the default).
    /// Off for rows whose figures come from different data (two runs whose splits differ), where
    /// neither means anything; the table takes it at the next refresh, the note below it at
    /// once.
    void setRanksRows(bool ranks);

    /// Marks trial `index` (0-based) of `method` with its own figure at its cumulative cost (a
    /// row activated in the Trials view).
    void selectTrial(const std::string& method, int index);
    QList<QPointF> selectedPoints() const;
    /// The curve drawn for `method` (for tests and the benchmark).
    QList<QPointF> curvePoints(const std::string& method) const;
    /// The points of `method`'s curve where its augmented-Lagrangian weights set the best (variant
    /// paper), each drawn with a hollow marker: their validation loss is not held out.
    QList<QPointF> alWeightsPoints(const std::string& method) const;
    /// The parts of the results table a report shows as tables of their own, narrow enough for
    /// a portrait page: the λ the methods chose with their retrained and refit figures, and the
    /// cost with the methods' own models.
    enum class TablePart { HeldOut, CostAndOwnModel, Whole };
    /// The results table (or a part) as HTML, the best value of each column in bold with a ★.
    /// Headers break only where the on-screen header does; figures never break.
    QString tableHtml(TablePart part = TablePart::Whole) const;

protected:
    /// Fits the table's pane to rows filled while the chart was hidden (a dialog's, before it
    /// is shown; a tab not yet opened).
    void showEvent(QShowEvent* event) override;
    /// Fits it again to the new height, unless the user dragged the split.
    void resizeEvent(QResizeEvent* event) override;

private:
    QHBoxLayout* createChoices();
    /// The line below the table: what ★ marks (where the rows are ranked) and the columns.
    QString noteText() const;
    void createTable();
    QWidget* createTableBox();
    /// Draws m_data again, if there is one.
    void redraw();
    QLineSeries* seriesFor(const std::string& method);
    QScatterSeries* alWeightsSeriesFor(const std::string& method);
    /// The outer iteration whose augmented-Lagrangian weights hold the best validation loss
    /// `bestValLoss` of `trace`'s curve, where they compete (ALGORITHM.md §3.5); else null.
    const events::OuterIterationEvent* alWeightsHolding(const MethodTrace& trace,
                                                        double bestValLoss) const;
    void fillTable(const RunData& run);
    /// Gives the table's pane the height its rows and the lines around them need, up to half of
    /// the view, when rows were added, the recommendation's line changed or the view was resized,
    /// and the user has not dragged the splitter; the chart keeps the rest (a pane larger
    /// than that, as the splitter first lays it out from the table's size hint, shrinks to it).
    /// Measured once the layout has placed the new rows (the next turn of the event loop).
    void fitTableRows();
    /// The step of a method's curve under the pointer: the best so far at that cost and the
    /// training that holds it; empty for the chart's own text.
    QString hover(const QXYSeries* series, const QPointF& point) const;

    /// The y axis of ValidationLossAboveLowest; hidden, with no series, under the other metrics
    /// (m_y then holds them).
    QLogValueAxis* m_yLog = nullptr;
    /// The y axis of the metric shown: m_yLog or m_y.
    QAbstractAxis* yAxis() const;
    /// Attaches every series to `axis` (m_y or m_yLog) and shows it alone.
    void plotOn(QAbstractAxis* axis);
    /// The y of a validation loss `value` under ValidationLossAboveLowest: above `lowest`, the
    /// axis's floor where it is the lowest.
    double aboveLowest(double value) const;
    double m_lowest = 0.0; ///< the lowest validation loss of any method's curve
    double m_floor = 1.0;  ///< where a curve at m_lowest is drawn
    const RunData* m_data = nullptr;
    Metric m_metric = Metric::ValidationLoss;
    Cost m_cost = Cost::Epochs;
    QComboBox* m_metricCombo = nullptr;
    QComboBox* m_costCombo = nullptr;
    std::map<std::string, QLineSeries*> m_series;
    /// Per method, the points where the augmented-Lagrangian weights hold the best (variant paper).
    std::map<std::string, QScatterSeries*> m_alWeights;
    QScatterSeries* m_selected = nullptr; ///< the selected trial, once one was selected
    std::string m_selectedMethod;
    int m_selectedIndex = -1;
    QTableWidget* m_table = nullptr;
    QSplitter* m_splitter = nullptr; ///< the chart above, the table's pane below
    bool m_splitterDragged = false;  ///< by the user: fitTableRows leaves it alone from then on
    int m_rowsFitted = 0;            ///< the row count fitTableRows last made room for
    bool m_fitAgain = false;         ///< the lines around the rows or the view's size changed since
    /// Above the table: the run's recommended model (report::recommend), as the report and the
    /// Runs view name it; hidden while no method has one.
    QLabel* m_recommendation = nullptr;
    /// The table's rows of augmented-Lagrangian weights (not in the held-out part of a report).
    std::vector<int> m_alWeightsRows;
    bool m_ranksRows = true;  ///< setRanksRows
    QLabel* m_note = nullptr; ///< below the table: noteText()
};

} // namespace bt::ui
