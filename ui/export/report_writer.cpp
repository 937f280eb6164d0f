#include "ui/export/report_writer.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <QBuffer>
#include <QDateTime>
#include <QFileInfo>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>

#include "engine/config/run_config_json.h"
#include "engine/core/version.h"
#include "engine/report/result_json.h"
#include "engine/report/run_result.h"
#include "engine/train/environment.h"
#include "ui/charts/comparison_chart.h"
#include "ui/charts/run_chart.h"
#include "ui/export/chart_export.h"
#include "ui/session/run_data.h"

namespace bt::ui {

namespace {

// Charts in the report: laid out at 768 × 480 logical pixels (their text about the size of the
// page's) and drawn at 210 DPI, sharp enough to print at the width below.
const PngOptions kReportImage{QSize(1680, 1050), 210};
// Width of a chart in the HTML report, in CSS pixels; and in the PDF, in the units Qt's text
// layout gives an A4 page with 15 mm margins (measured: its text column is about 540 wide).
constexpr int kImageWidth = 620;
constexpr int kPrintedImageWidth = 520;

QString escaped(const std::string& text) {
    return QString::fromStdString(text).toHtmlEscaped();
}

// A row of a table of facts: `key` as its heading, then `value`.
void addFactRow(QString& html, const QString& key, const QString& value) {
    html += QStringLiteral("<tr><th align='left'>%1</th><td>%2</td></tr>")
                .arg(key.toHtmlEscaped(), value.toHtmlEscaped());
}

} // namespace

QStringList ReportWriter::sectionTitles() {
    return {QObject::tr("Recommendation"), QObject::tr("Charts"), QObject::tr("The run"),
            QObject::tr("Configuration"), QObject::tr("Environment")};
}

ReportWriter::ReportWriter(const RunData& data, std::vector<RunChart*> charts,
                           const ComparisonChart* comparison, QString environmentText)
    : m_data(data), m_charts(std::move(charts)), m_comparison(comparison),
      m_environmentText(std::move(environmentText)) {}

QString ReportWriter::title() const {
    const auto id = QString::fromStdString(m_data.runId());
    return m_data.name().empty() ? QObject::tr("Bilevel Tuner report: run %1").arg(id)
                                 : QObject::tr("Bilevel Tuner report: %1 (run %2)")
                                       .arg(QString::fromStdString(m_data.name()), id);
}

const std::vector<ReportWriter::Figure>& ReportWriter::figures() const {
    if (!m_figures.empty()) {
        return m_figures;
    }
    using Metric = ComparisonChart::Metric;
    for (auto* chart : m_charts) {
        auto* comparison = qobject_cast<ComparisonChart*>(chart);
        m_figures.push_back({comparison != nullptr ? QObject::tr("Anytime curves") : chart->title(),
                             chart->title(), renderChartImage(chart->chartViews(), kReportImage)});
        if (comparison != nullptr && comparison->metric() != Metric::ValidationLossAboveLowest) {
            // Drawn by a view of its own, so that the one on screen never changes.
            ComparisonChart above;
            above.setCost(comparison->cost());
            above.setMetric(Metric::ValidationLossAboveLowest);
            above.refresh(m_data);
            m_figures.push_back(
                {QObject::tr("Anytime curves above the lowest validation loss (log scale)"),
                 QObject::tr("%1 (log scale)").arg(chart->title()),
                 renderChartImage(above.chartViews(), kReportImage)});
        }
    }
    return m_figures;
}

QString ReportWriter::recommendationHtml() const {
    const auto recommended = m_data.recommendation();
    if (!recommended) {
        return QObject::tr("<p>No method has returned a λ yet.</p>\n");
    }
    const auto* best = recommended->method;
    // the trace's name, as the report's tables name the method
    const auto method = QString::fromStdString(m_data.methods()[recommended->index].method);
    const auto& bestMetrics = recommended->metrics;
    const bool refit = recommended->refit;
    QStringList entries;
    for (std::size_t i = 0; i < best->lambda.size(); ++i) {
        entries << QStringLiteral("%1&nbsp;=&nbsp;%2")
                       .arg(QString::fromStdString(m_data.lambdaLabel(static_cast<int>(i)))
                                .toHtmlEscaped()
                                .replace(QLatin1Char(' '), QStringLiteral("&nbsp;")))
                       .arg(best->lambda[i], 0, 'f', 2);
    }
    QString figures = QObject::tr("test loss %1").arg(bestMetrics.testLoss, 0, 'f', 4);
    if (bestMetrics.testAccuracy) {
        figures +=
            QObject::tr(", test accuracy %1 %").arg(*bestMetrics.testAccuracy * 100.0, 0, 'f', 2);
    }
    const auto& cost = best->cost;
    return QObject::tr("<p class='lead'><b>λ* of %1</b>: %2.<br>Its model %3: %4, after %5 "
                       "trainings (%6 epochs, %7 s). Chosen as the λ* whose training on the "
                       "training split alone has the lowest validation loss, %8 (every method "
                       "chose its λ* on that split), never by a test figure, so the test "
                       "figures%9 are an honest estimate; ★ marks the best of each column "
                       "below.</p>\n")
        .arg(method.toHtmlEscaped(), entries.join(QStringLiteral(", ")),
             refit ? QObject::tr("refit on training ∪ validation")
                   : QObject::tr("trained on the training split"),
             figures)
        .arg(cost.lowerLevelTrainings)
        .arg(cost.epochs, 0, 'f', 1)
        .arg(cost.wallSeconds, 0, 'f', 1)
        .arg(recommended->valLoss, 0, 'f', 4)
        .arg(refit ? QObject::tr(" of its refit") : QString());
}

QString ReportWriter::summaryHtml() const {
    QString html = QStringLiteral("<table class='facts' cellpadding='3'>");
    auto row = [&html](const QString& key, const QString& value) { addFactRow(html, key, value); };
    row(QObject::tr("Run"), QString::fromStdString(m_data.runId()));
    if (!m_data.name().empty()) {
        row(QObject::tr("Name"), QString::fromStdString(m_data.name()));
    }
    const auto& finished = m_data.finished();
    row(QObject::tr("Status"), finished ? statusText(finished->status) : QObject::tr("running"));
    if (finished && !finished->message.empty()) {
        row(QObject::tr("Message"), QString::fromStdString(finished->message));
    }
    QStringList methods;
    for (const auto& trace : m_data.methods()) {
        methods << QString::fromStdString(trace.method);
    }
    row(QObject::tr("Methods"), methods.join(QStringLiteral(", ")));
    const auto& c = m_data.config();
    row(QObject::tr("Dataset"),
        c.dataset.kind ? QString::fromStdString(std::string(config::toString(*c.dataset.kind)))
                       : QStringLiteral("—"));
    row(QObject::tr("Model"), QString::fromStdString(std::string(config::toString(c.model.kind))));
    row(QObject::tr("λ box"),
        QStringLiteral("[%1, %2]^%3, %4")
            .arg(c.hyperparameters.lower)
            .arg(c.hyperparameters.upper)
            .arg(m_data.dimension())
            .arg(QString::fromStdString(std::string(config::toString(c.hyperparameters.scope)))));
    QStringList entries;
    for (int i = 0; i < m_data.dimension(); ++i) {
        QString entry = QString::fromStdString(m_data.lambdaLabel(i));
        const auto& members = m_data.lambdaMembers();
        if (static_cast<std::size_t>(i) < members.size() && members[i].size() > 1 &&
            m_data.lambdaNames().size() > 1) {
            QStringList weights;
            for (const auto& weight : members[static_cast<std::size_t>(i)]) {
                weights << QString::fromStdString(weight);
            }
            entry += QStringLiteral(" (") + weights.join(QStringLiteral(", ")) + QLatin1Char(')');
        }
        entries << entry;
    }
    if (!entries.isEmpty()) {
        row(QObject::tr("λ entries"), entries.join(QStringLiteral("; ")));
    }
    row(QObject::tr("Seeds"),
        QObject::tr("training %1, splits %2").arg(c.training.seed).arg(c.dataset.seed));
    row(QObject::tr("Report written"),
        QDateTime::currentDateTimeUtc().toString(Qt::ISODate) +
            QObject::tr(" by Bilevel Tuner %1").arg(QString::fromLatin1(core::kVersion)));
    html += QStringLiteral("</table>\n");
    return html;
}

QString ReportWriter::environmentHtml() const {
    // "key: value" lines as train::formatEnvironment writes them, in order.
    const auto facts = [](const QString& text) {
        std::vector<std::pair<QString, QString>> out;
        for (const auto& line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const auto colon = line.indexOf(QLatin1Char(':'));
            out.emplace_back(line.left(colon), line.mid(colon + 1).trimmed());
        }
        return out;
    };
    QString html = QStringLiteral("<table class='facts' cellpadding='3'>");
    auto row = [&html](const QString& key, const QString& value) { addFactRow(html, key, value); };
    // The run's environment as recorded, labelled as the CLI's `env` and the About box label
    // this app's; then the device and the data it ran on.
    std::vector<std::pair<QString, QString>> ran;
    if (m_data.result() && m_data.result()->environment.is_object()) {
        const auto& json = m_data.result()->environment;
        ran = facts(
            QString::fromStdString(train::formatEnvironment(train::environmentFromJson(json))));
        for (const auto& [key, value] : ran) {
            row(key, value);
        }
        for (const auto& [key, label] :
             {std::pair{"device", QObject::tr("Device")}, std::pair{"data", QObject::tr("Data")}}) {
            if (const auto it = json.find(key); it != json.end() && it->is_string()) {
                row(label, QString::fromStdString(it->get<std::string>()));
            }
        }
    }
    if (m_data.result()) {
        if (const auto rows = report::dataFingerprintText(m_data.result()->data); !rows.empty()) {
            row(QObject::tr("Rows"), QString::fromStdString(rows));
        }
    }
    html += QStringLiteral("</table>\n");
    // Where this report was written, where that differs from where the run ran (another
    // machine or version, the app's own thread count); all of it for a run without a record.
    std::vector<std::pair<QString, QString>> differing;
    for (const auto& fact : facts(m_environmentText)) {
        if (std::find(ran.begin(), ran.end(), fact) == ran.end()) {
            differing.push_back(fact);
        }
    }
    if (!differing.empty()) {
        html += ran.empty() ? QObject::tr("<h3>Where this report was written</h3>\n")
                            : QObject::tr("<h3>Where this report was written, where it "
                                          "differs</h3>\n");
        html += QStringLiteral("<table class='facts' cellpadding='3'>");
        for (const auto& [key, value] : differing) {
            row(key, value);
        }
        html += QStringLiteral("</table>\n");
    }
    return html;
}

QString ReportWriter::html(bool embedImages) const {
    const auto titles = sectionTitles();
    QString html = openingHtml();

    // Results first: what to use, then how the methods compare, then the charts; the
    // configuration and the environment close the report as an appendix.
    html += QStringLiteral("<h2 id='recommendation'>%1</h2>\n").arg(titles[0]);
    html += recommendationHtml();
    html += comparisonHtml();

    // Two charts to a page, each under its heading, so that no heading ends a page alone.
    // Qt's text layout breaks pages by an inline style only.
    const QString newPage = QStringLiteral(" style='page-break-before:always'");
    html += QStringLiteral("<h2 id='charts'%1>%2</h2>\n").arg(newPage, titles[1]);
    html += chartsHtml(embedImages, newPage);

    html += QStringLiteral("<h2 id='run'%1>%2</h2>\n").arg(newPage, titles[2]);
    html += summaryHtml();
    html += QStringLiteral("<h2 id='configuration'>%1</h2>\n").arg(titles[3]);
    html += QObject::tr("<p>As the command line reads it "
                        "(<code>bilevel-tuner-cli run --config FILE</code>):</p>\n");
    html += QStringLiteral("<pre>%1</pre>\n").arg(escaped(config::toJson(m_data.config()).dump(2)));

    html += QStringLiteral("<h2 id='environment'>%1</h2>\n").arg(titles[4]);
    html += environmentHtml();

    if (!m_data.logEvents().empty()) {
        html += QObject::tr("<h2 id='log'>Engine messages</h2>\n<ul>\n");
        for (const auto& log : m_data.logEvents()) {
            html += QStringLiteral("<li>%1</li>\n").arg(escaped(log.message));
        }
        html += QStringLiteral("</ul>\n");
    }
    html += QStringLiteral("</body></html>\n");
    return html;
}

QString ReportWriter::openingHtml() const {
    QString html;
    html += QStringLiteral(
                "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>\n<title>%1</title>\n"
                "<style>body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}"
                "table.results{font-size:8pt} table.results td,table.results th{padding:3px 4px}"
                " td.best{background:#fff3c4}"
                "pre{background:#f4f4f4;padding:8px;font-size:85%%} img{max-width:100%%}"
                "table.facts th{padding-right:1em} p.lead{font-size:110%%}"
                " p.note{font-size:85%%;color:#444}"
                "</style>\n</head><body>\n")
                .arg(title().toHtmlEscaped());
    html += QStringLiteral("<h1>%1</h1>\n").arg(title().toHtmlEscaped());
    const auto& c = m_data.config();
    QStringList methods;
    for (const auto& trace : m_data.methods()) {
        methods << QString::fromStdString(trace.method);
    }
    const auto& finished = m_data.finished();
    html += QStringLiteral("<p>%1</p>\n")
                .arg(QObject::tr("%1; methods %2; %3.")
                         .arg(QString::fromStdString(config::taskText(c)),
                              methods.join(QStringLiteral(", ")),
                              finished ? statusText(finished->status) : QObject::tr("running"))
                         .toHtmlEscaped());
    return html;
}

QString ReportWriter::comparisonHtml() const {
    QString html;
    html += QObject::tr("<h3>The λ each method chose</h3>\n");
    html += m_comparison != nullptr ? m_comparison->tableHtml(ComparisonChart::TablePart::HeldOut)
                                    : QString();
    html += QObject::tr("<p class='note'>“Retrained” trains each method's λ* from the fixed "
                        "initialisation on the training split alone, “refit” on training ∪ "
                        "validation: these compare the λ the methods chose, and the refit is "
                        "the model to ship.</p>\n");
    html += QObject::tr("<h3>Cost and the methods' own models</h3>\n");
    html += m_comparison != nullptr
                ? m_comparison->tableHtml(ComparisonChart::TablePart::CostAndOwnModel)
                : QString();
    html +=
        QObject::tr("<p class='note'>A method's own model is the one it trained at λ*. The "
                    "bilevel method's augmented-Lagrangian weights (its own model under "
                    "variant paper, the row “↳&nbsp;AL weights” below it under select: the outer "
                    "iteration the paper's rule returns) were fitted to the validation "
                    "split, so their validation loss is not held out: their figures are in "
                    "italics and compete for no ★.</p>\n");
    return html;
}

QString ReportWriter::chartsHtml(bool embedImages, const QString& newPage) const {
    QString html;
    const auto& pictures = figures();
    for (std::size_t i = 0; i < pictures.size(); ++i) {
        html += QStringLiteral("<h3%1>%2</h3>\n")
                    .arg(i > 0 && i % 2 == 0 ? newPage : QString(),
                         pictures[i].heading.toHtmlEscaped());
        QString source = QStringLiteral("chart-%1.png").arg(i);
        if (embedImages) {
            QByteArray bytes;
            QBuffer buffer(&bytes);
            buffer.open(QIODevice::WriteOnly);
            pictures[i].image.save(&buffer, "PNG");
            source =
                QStringLiteral("data:image/png;base64,") + QString::fromLatin1(bytes.toBase64());
        }
        html += QStringLiteral("<p><img src='%1' width='%2' alt='%3'></p>\n")
                    .arg(source)
                    .arg(embedImages ? kImageWidth : kPrintedImageWidth)
                    .arg(pictures[i].alt.toHtmlEscaped());
    }
    return html;
}

bool ReportWriter::write(const QString& path, QString* error) const {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QStringLiteral("html") || suffix == QStringLiteral("htm")) {
        return writeAtomically(path, html(true).toUtf8(), error);
    }
    if (suffix != QStringLiteral("pdf")) {
        if (error != nullptr) {
            *error =
                QObject::tr("%1: unknown report format '%2'; use .html or .pdf").arg(path, suffix);
        }
        return false;
    }
    QTextDocument document;
    const auto& pictures = figures();
    for (std::size_t i = 0; i < pictures.size(); ++i) {
        document.addResource(QTextDocument::ImageResource,
                             QUrl(QStringLiteral("chart-%1.png").arg(i)), pictures[i].image);
    }
    document.setHtml(html(false));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setTitle(title());
        writer.setCreator(QStringLiteral("Bilevel Tuner"));
        writer.setResolution(300);
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                         QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
        document.print(&writer);
    }
    return writeAtomically(path, bytes, error);
}

} // namespace bt::ui
