#pragma once

#include <vector>

#include <QImage>
#include <QString>
#include <QStringList>

namespace bt::ui {

class ComparisonChart;
class RunChart;
class RunData;

/// A run's report, results first: the recommendation (report::recommend: the λ* with the lowest
/// validation loss, shown by its refit model; every method's λ* with its retrained and refit
/// figures, the cost), then every
/// chart, then as an appendix the run's facts, its configuration (the CLI's JSON) and the
/// environment (versions, BLAS, device, seed, machine); as one HTML page (images embedded) or
/// a PDF (A4 portrait, tables that fit its width, two charts to a page). The charts must have
/// been refreshed with `data`.
class ReportWriter {
public:
    /// The report's sections, in order, as their headings read.
    static QStringList sectionTitles();

    /// @param environmentText  "key: value" lines of the app's environment (the run's own, from
    ///                          its result, comes first when there is one)
    ReportWriter(const RunData& data, std::vector<RunChart*> charts,
                 const ComparisonChart* comparison, QString environmentText);

    /// The report as HTML. With `embedImages`, charts are data: URLs (a self-contained file);
    /// otherwise they are named "chart-N.png" and listed by figures().
    QString html(bool embedImages) const;
    /// One chart's picture under its heading.
    struct Figure {
        QString heading;
        QString alt; ///< the chart's title
        QImage image;
    };
    /// Every chart as it is shown, and after the anytime curves the same curves above the
    /// lowest validation loss on a log scale (ComparisonChart::Metric::ValidationLossAboveLowest,
    /// where curves that end within thousandths of each other come apart), unless that is what
    /// the view shows already (drawn by a hidden view of its own, at the view's cost axis; the
    /// view on screen is left as it is). Rendered on first use.
    const std::vector<Figure>& figures() const;
    /// "Bilevel Tuner report: fmnist-mlp-3l2 (run 20261207-204742-99f3)", the run's id alone
    /// where it has no name: the HTML title, the heading and the PDF's title.
    QString title() const;

    /// Writes the report by the file name's extension: .html (or .htm) or .pdf, atomically.
    /// @return false with `error` naming the file and the reason
    bool write(const QString& path, QString* error) const;

private:
    /// The page's head and title, and the run in one line.
    QString openingHtml() const;
    /// The methods' λ*, retrained and refit figures, cost and own models, as tables.
    QString comparisonHtml() const;
    /// Every chart under its heading, two to a page (`newPage` breaks the page before a heading).
    QString chartsHtml(bool embedImages, const QString& newPage) const;
    QString environmentHtml() const;
    QString summaryHtml() const;
    QString recommendationHtml() const;

    const RunData& m_data;
    std::vector<RunChart*> m_charts;
    const ComparisonChart* m_comparison;
    QString m_environmentText;
    mutable std::vector<Figure> m_figures;
};

} // namespace bt::ui
