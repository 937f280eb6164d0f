#pragma once

#include <string>
#include <vector>

#include <QColor>
#include <QImage>
#include <QList>
#include <QPointF>
#include <QScatterSeries>
#include <QString>

#include "engine/events/events.h"

class QChart;
class QAbstractAxis;
class QValueAxis;
class QLogValueAxis;
class QXYSeries;
class QAbstractSeries;

namespace bt::ui {

/// At most `maxPoints` of `points` (sorted by x) for drawing: the points are split into
/// maxPoints/2 buckets of equal count and each bucket keeps its lowest and highest y, in x
/// order, so that spikes survive thinning. The first and last points are always kept.
/// Returns the input when it is small enough.
QList<QPointF> thinPoints(const QList<QPointF>& points, int maxPoints);

/// The index of the point of `points` nearest `point` (in the chart's values), or -1 when there
/// is none: what a hover on a series is about.
qsizetype nearestPoint(const QList<QPointF>& points, const QPointF& point);

/// The colour of a method in every chart ("bilevel", "grid", ...), and of the i-th λ.
QColor methodColor(const std::string& method);
QColor seriesColor(int index);
/// The dash pattern of a method's curve: bilevel solid, each baseline its own.
Qt::PenStyle methodLineStyle(const std::string& method);

/// Gives a chart the look of the app: a light or dark theme following the palette, the legend
/// at the bottom, antialiasing-friendly margins.
void styleChart(QChart* chart, const QString& title);

/// How a scatter series draws its points.
struct MarkerStyle {
    QScatterSeries::MarkerShape shape = QScatterSeries::MarkerShapeCircle;
    double size = 9.0;
    QColor fill;
    QColor border;
};

/// The grey of context drawn on the palette's background (darker on a light one, lighter on a
/// dark one); `stronger` gives the deeper of two. Markers and lines that are not the subject.
QColor neutralColor(bool stronger = false);

/// A grey marker that reads on the palette's background (darker greys on a light one, lighter on
/// a dark one): points that are context rather than the subject, such as the initial design.
/// `stronger` gives the deeper of two greys, for a second kind of such points beside the first.
MarkerStyle neutralMarker(QScatterSeries::MarkerShape shape, double size, bool stronger = false);

/// A scatter series named `name`, drawn in `style`, on axes `x`, `y` of `chart`.
QScatterSeries* addScatterSeries(QChart* chart, const QString& name, const MarkerStyle& style,
                                 QAbstractAxis* x, QAbstractAxis* y);

/// A gold star series named `name` on axes `x`, `y` of `chart`: the one point a user asks about
/// (the returned λ*, a selected trial).
QScatterSeries* addStarSeries(QChart* chart, const QString& name, QAbstractAxis* x,
                              QAbstractAxis* y);

/// A value axis with a title (with units) and a range padded by 5 % (a degenerate range is
/// widened so the axis still shows).
QValueAxis* makeValueAxis(const QString& title, double low, double high);
/// Sets the padded range of an existing axis.
void setPaddedRange(QValueAxis* axis, double low, double high);
/// Sets the range [low, high] with ticks every 1, 2, 2.5 or 5 × 10^k, about `ticks` of them,
/// anchored at 0. Use it, not setRange, on the value axes of this app.
void setAxisRange(QValueAxis* axis, double low, double high, int ticks = 5);
/// The "outer iteration" axis over [low, outerTotal]: ticks at whole iterations anchored at 0,
/// every 1, 2, 3, … iterations so that at most about ten show, labelled without decimals.
void setOuterIterationRange(QValueAxis* axis, int outerTotal, double low = 0.0);
/// The x axis of the bilevel method's charts, "outer iteration (inner steps in between)", over
/// the first iteration until the run says more.
QValueAxis* makeOuterIterationAxis();
/// A base-10 log axis; its range covers [low, high] by whole decades.
QLogValueAxis* makeLogAxis(const QString& title);
/// Faint minor grid lines for an axis already added to its chart (the theme's own dominate a log
/// axis, most of all in the dark theme).
void softenMinorGrid(QAbstractAxis* axis);
void setDecadeRange(QLogValueAxis* axis, double low, double high);

/// A colour map from 0 (dark blue) to 1 (yellow), perceptually ordered (viridis).
QColor viridis(double t);
/// An m × m heat map of `values` (row-major by y, y growing upwards), normalised to
/// [min, max] of the values, as an image whose top row is the largest y.
QImage heatMapImage(const std::vector<double>& values, int m, double* low = nullptr,
                    double* high = nullptr);

/// Where an inner step is drawn on an "outer iteration" axis: step s of outer iteration k at
/// k − 1 + s / S, so that iteration k's inner solve fills (k − 1, k] and its end is at k.
double outerAxisPosition(const events::InnerProgressEvent& step);

/// Hides a series from the legend (helper lines, markers that repeat a line, a kind of point
/// the run cannot have), or with `hidden` false shows it again.
void hideFromLegend(QChart* chart, QAbstractSeries* series, bool hidden = true);

/// Is the application's palette dark (text lighter than the window)?
bool darkPalette();

} // namespace bt::ui
