#include "ui/report_writer.h"

#include <QBuffer>
#include <QDateTime>
#include <QFileInfo>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>
#include <QUrl>

#include "engine/config/run_config_json.h"
#include "engine/core/version.h"
#include "ui/chart_export.h"
#include "ui/comparison_chart.h"
#include "ui/run_chart.h"
#include "ui/run_data.h"

namespace bt::ui {

namespace {

// Charts in the report: laid out at 768 × 480 logical pixels (their text about the size of the
// page's) and drawn at 210 DPI, sharp enough to print at the width below.
const PngOptions kReportImage{QSize(1680, 1050), 210};
// Width of a chart in the document, in CSS pixels (A4 with 15 mm margins is about 680).
constexpr int kImageWidth = 620;

QString escaped(const std::string& text) {
    return QString::fromStdString(text).toHtmlEscaped();
}

QString valueText(const nlohmann::json& value) {
    if (value.is_string()) {
        return QString::fromStdString(value.get<std::string>());
    }
    if (value.is_array()) {
        QStringList parts;
        for (const auto& v : value) {
            parts << valueText(v);
        }
        return parts.join(QStringLiteral(", "));
    }
    return QString::fromStdString(value.dump());
}

bool writeBytes(const QString& path, const QByteArray& bytes, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error != nullptr) {
            *error = QObject::tr("cannot write %1: %2").arg(path, file.errorString());
        }
        return false;
    }
    return true;
}

} // namespace

QStringList ReportWriter::sectionTitles() {
    return {QObject::tr("Summary"), QObject::tr("Configuration"), QObject::tr("Charts"),
            QObject::tr("Comparison"), QObject::tr("Environment")};
}

ReportWriter::ReportWriter(const RunData& data, std::vector<RunChart*> charts,
                           const ComparisonChart* comparison, QString environmentText)
    : m_data(data), m_charts(std::move(charts)), m_comparison(comparison),
      m_environmentText(std::move(environmentText)) {}

const std::vector<QImage>& ReportWriter::images() const {
    if (m_images.empty()) {
        for (auto* chart : m_charts) {
            m_images.push_back(renderChartImage(chart->chartViews(), kReportImage));
        }
    }
    return m_images;
}

QString ReportWriter::summaryHtml() const {
    QString html = QStringLiteral("<table class='facts' cellpadding='3'>");
    auto row = [&html](const QString& key, const QString& value) {
        html += QStringLiteral("<tr><th align='left'>%1</th><td>%2</td></tr>")
                    .arg(key.toHtmlEscaped(), value.toHtmlEscaped());
    };
    row(QObject::tr("Run"), QString::fromStdString(m_data.runId()));
    const auto& finished = m_data.finished();
    row(QObject::tr("Status"),
        finished ? QString::fromStdString(finished->status) : QObject::tr("running"));
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
    row(QObject::tr("Seeds"),
        QObject::tr("training %1, splits %2").arg(c.training.seed).arg(c.dataset.seed));
    row(QObject::tr("Report written"),
        QDateTime::currentDateTimeUtc().toString(Qt::ISODate) +
            QObject::tr(" by Bilevel Tuner %1").arg(QString::fromLatin1(core::kVersion)));
    html += QStringLiteral("</table>\n");
    return html;
}

QString ReportWriter::environmentHtml() const {
    QString html = QStringLiteral("<table class='facts' cellpadding='3'>");
    auto row = [&html](const QString& key, const QString& value) {
        html += QStringLiteral("<tr><th align='left'>%1</th><td>%2</td></tr>")
                    .arg(key.toHtmlEscaped(), value.toHtmlEscaped());
    };
    if (m_data.result() && m_data.result()->environment.is_object()) {
        for (const auto& [key, value] : m_data.result()->environment.items()) {
            row(QString::fromStdString(key), valueText(value));
        }
        row(QObject::tr("seed"), QString::number(m_data.config().training.seed));
    }
    html += QStringLiteral("</table>\n");
    if (!m_environmentText.isEmpty()) {
        html += QObject::tr("<h3>This app's environment</h3>\n");
        html += QStringLiteral("<table class='facts' cellpadding='3'>");
        for (const auto& line : m_environmentText.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const auto colon = line.indexOf(QLatin1Char(':'));
            row(line.left(colon), line.mid(colon + 1).trimmed());
        }
        html += QStringLiteral("</table>\n");
    }
    return html;
}

QString ReportWriter::html(bool embedImages) const {
    const auto titles = sectionTitles();
    QString html;
    html += QStringLiteral(
                "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>\n<title>%1</title>\n"
                "<style>body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}"
                "table.results{font-size:8pt} table.results td,table.results th{padding:3px 4px}"
                " td.best{background:#fff3c4}"
                "pre{background:#f4f4f4;padding:8px;font-size:85%%} img{max-width:100%%}"
                "table.facts th{padding-right:1em}</style>\n</head><body>\n")
                .arg(QObject::tr("Bilevel Tuner report: run %1")
                         .arg(QString::fromStdString(m_data.runId()))
                         .toHtmlEscaped());
    html += QObject::tr("<h1>Bilevel Tuner report: run %1</h1>\n").arg(escaped(m_data.runId()));

    html += QStringLiteral("<h2 id='summary'>%1</h2>\n").arg(titles[0]);
    html += summaryHtml();

    html += QStringLiteral("<h2 id='configuration'>%1</h2>\n").arg(titles[1]);
    html += QObject::tr("<p>As the command line reads it "
                        "(<code>bilevel-tuner-cli run --config FILE</code>):</p>\n");
    html += QStringLiteral("<pre>%1</pre>\n").arg(escaped(config::toJson(m_data.config()).dump(2)));

    html += QStringLiteral("<h2 id='charts'>%1</h2>\n").arg(titles[2]);
    const auto& pictures = images();
    for (std::size_t i = 0; i < m_charts.size(); ++i) {
        // The comparison's table has its own section below: its chart is the anytime curves.
        const QString heading = m_charts[i]->fileStem() == QStringLiteral("comparison")
                                    ? QObject::tr("Anytime curves")
                                    : m_charts[i]->title();
        html += QStringLiteral("<h3>%1</h3>\n").arg(heading.toHtmlEscaped());
        QString source = QStringLiteral("chart-%1.png").arg(i);
        if (embedImages) {
            QByteArray bytes;
            QBuffer buffer(&bytes);
            buffer.open(QIODevice::WriteOnly);
            pictures[i].save(&buffer, "PNG");
            source =
                QStringLiteral("data:image/png;base64,") + QString::fromLatin1(bytes.toBase64());
        }
        html += QStringLiteral("<p><img src='%1' width='%2' alt='%3'></p>\n")
                    .arg(source)
                    .arg(kImageWidth)
                    .arg(m_charts[i]->title().toHtmlEscaped());
    }

    html += QStringLiteral("<h2 id='comparison'>%1</h2>\n").arg(titles[3]);
    html += QObject::tr("<p>Each method's selected λ* and its models' metrics; the best value of "
                        "each column is marked ★. “Retrained” trains λ* from the fixed "
                        "initialisation on the training split alone and “refit” on training ∪ "
                        "validation: these compare the λ the methods chose, and the refit is the "
                        "model to ship. The bilevel method's own model (variant paper) is the "
                        "augmented-Lagrangian weights, fitted to the validation split.</p>\n");
    html += m_comparison != nullptr ? m_comparison->tableHtml() : QString();

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

bool ReportWriter::write(const QString& path, QString* error) const {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QStringLiteral("html") || suffix == QStringLiteral("htm")) {
        return writeBytes(path, html(true).toUtf8(), error);
    }
    if (suffix != QStringLiteral("pdf")) {
        if (error != nullptr) {
            *error =
                QObject::tr("%1: unknown report format '%2'; use .html or .pdf").arg(path, suffix);
        }
        return false;
    }
    QTextDocument document;
    const auto& pictures = images();
    for (std::size_t i = 0; i < pictures.size(); ++i) {
        document.addResource(QTextDocument::ImageResource,
                             QUrl(QStringLiteral("chart-%1.png").arg(i)), pictures[i]);
    }
    document.setHtml(html(false));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setTitle(QObject::tr("Bilevel Tuner report: run %1")
                            .arg(QString::fromStdString(m_data.runId())));
        writer.setCreator(QStringLiteral("Bilevel Tuner"));
        writer.setResolution(300);
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                         QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
        document.print(&writer);
    }
    return writeBytes(path, bytes, error);
}

} // namespace bt::ui
