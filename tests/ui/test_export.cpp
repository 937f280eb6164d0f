#include <QtTest>

#include <algorithm>

#include <QProcess>
#include <QStandardPaths>

#include <QChart>
#include <QChartView>
#include <QComboBox>

#include <QDir>
#include <QFile>
#include <QImage>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <nlohmann/json.hpp>

#include "synthetic_run.h"
#include "ui/charts/comparison_chart.h"
#include "ui/charts/constraint_chart.h"
#include "ui/charts/live_charts.h"
#include "ui/charts/loss_chart.h"
#include "ui/charts/run_chart.h"
#include "ui/charts/surrogate_chart.h"
#include "ui/charts/trajectory_chart.h"
#include "ui/export/chart_export.h"
#include "ui/export/report_writer.h"
#include "ui/export/run_data_export.h"

namespace {

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Pages of a PDF: page objects ("/Type /Page", not "/Pages").
int pdfPageCount(const QByteArray& pdf) {
    static const QRegularExpression page(QStringLiteral("/Type\\s*/Page(?!s)"));
    return static_cast<int>(QString::fromLatin1(pdf).count(page));
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_tabs = std::make_unique<QTabWidget>();
        m_tabs->resize(1000, 700);
        m_charts = std::make_unique<bt::ui::LiveCharts>(m_tabs.get());
        m_result = bt::testing::feedSyntheticRun(*m_charts);
    }

    void pngHasTheSizeAndResolutionAskedFor() {
        const QString path = m_dir.filePath(QStringLiteral("trajectories.png"));
        QString error;
        const bt::ui::PngOptions options{QSize(1200, 700), 192};
        QVERIFY2(bt::ui::exportChart(*m_charts->trajectories(), path, options, &error),
                 qPrintable(error));
        const QByteArray bytes = readAll(path);
        QVERIFY(bytes.startsWith(QByteArray("\x89PNG\r\n\x1a\n", 8)));
        QImage image;
        QVERIFY(image.loadFromData(bytes, "PNG"));
        QCOMPARE(image.size(), QSize(1200, 700));
        QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), 192);
        // Something is drawn: more than a handful of colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7) {
            for (int x = 0; x < image.width(); x += 7) {
                colours.insert(image.pixel(x, y));
            }
        }
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
        // The chart on screen keeps its own size.
        QVERIFY(!m_charts->trajectories()->chartViews().front()->chart()->size().isEmpty());
    }

    void svgParsesAndHoldsTheChart() {
        const QString path = m_dir.filePath(QStringLiteral("constraint.svg"));
        QString error;
        QVERIFY2(bt::ui::exportChart(*m_charts->constraint(), path, {}, &error), qPrintable(error));
        QXmlStreamReader xml(readAll(path));
        int elements = 0;
        int paths = 0;
        QString root;
        QString text;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement) {
                if (elements++ == 0) {
                    root = xml.name().toString();
                }
                paths += xml.name() == QStringLiteral("path") ||
                         xml.name() == QStringLiteral("polyline");
            } else if (xml.isCharacters()) {
                text += xml.text();
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(root, QStringLiteral("svg"));
        QVERIFY2(paths > 10, qPrintable(QString::number(paths)));
        QVERIFY2(text.contains(QStringLiteral("outer iteration")), qPrintable(text.left(300)));
    }

    void pdfHasOnePagePerChart() {
        const QString path = m_dir.filePath(QStringLiteral("surrogate.pdf"));
        QString error;
        QVERIFY2(bt::ui::exportChart(*m_charts->surrogate(), path, {}, &error), qPrintable(error));
        const QByteArray bytes = readAll(path);
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        QCOMPARE(pdfPageCount(bytes), 1);
    }

    void badExportsSayWhy() {
        QString error;
        const QString missing = m_dir.filePath(QStringLiteral("no/such/folder/a.png"));
        QVERIFY(!bt::ui::exportChart(*m_charts->losses(), missing, {}, &error));
        QVERIFY2(error.contains(missing), qPrintable(error));
        QVERIFY(!QFile::exists(missing));
        QVERIFY(!bt::ui::exportChart(*m_charts->losses(), m_dir.filePath(QStringLiteral("a.gif")),
                                     {}, &error));
        QVERIFY2(error.contains(QStringLiteral(".png, .svg or .pdf")), qPrintable(error));
        QVERIFY(!bt::ui::exportChart(*m_charts->losses(), m_dir.filePath(QStringLiteral("b.png")),
                                     {QSize(5, 5), 96}, &error));
        QVERIFY2(error.contains(QStringLiteral("16 to 20000")), qPrintable(error));
    }

    void runDataAsCsvAndJson() {
        // The command line's CSV tables (report::writeRunCsv), in a folder.
        const QString folder = m_dir.filePath(QStringLiteral("run-csv"));
        QString error;
        QStringList written;
        QVERIFY2(bt::ui::exportRunCsv(m_charts->data(), folder, &error, &written),
                 qPrintable(error));
        QCOMPARE(written.size(), 4);
        const QStringList names{QStringLiteral("samples.csv"), QStringLiteral("trace.csv"),
                                QStringLiteral("anytime.csv"), QStringLiteral("methods.csv")};
        for (int i = 0; i < names.size(); ++i) {
            QCOMPARE(written[i], QDir(folder).filePath(names[i]));
        }
        const auto lines =
            QString::fromUtf8(readAll(written[0])).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 8 + 4); // header, 8 bilevel samples, 4 grid trials
        QVERIFY(lines[0].startsWith(QStringLiteral("method,phase,index,total,lambda_1,lambda_2,")));
        QVERIFY2(lines[1].startsWith(QStringLiteral("bilevel,initial-design,0,5,-8,-8,0,ok,")),
                 qPrintable(lines[1]));
        QVERIFY2(lines.last().startsWith(QStringLiteral("grid,trial,3,4,0,0,0,ok,")),
                 qPrintable(lines.last()));
        const auto iterations =
            QString::fromUtf8(readAll(written[1])).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(iterations.size(), 1 + 3);
        const auto anytime =
            QString::fromUtf8(readAll(written[2])).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY(anytime.size() > 2);
        const auto methods =
            QString::fromUtf8(readAll(written[3])).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(methods.size(), 1 + 2);
        QVERIFY(methods[1].startsWith(QStringLiteral("bilevel,completed,")));
        QVERIFY(methods[2].startsWith(QStringLiteral("grid,completed,0,0,")));

        const QString jsonPath = m_dir.filePath(QStringLiteral("run.json"));
        QVERIFY2(bt::ui::exportRunJson(m_charts->data(), jsonPath, &error), qPrintable(error));
        const auto json = nlohmann::json::parse(readAll(jsonPath).toStdString());
        QCOMPARE(QString::fromStdString(json["run_id"].get<std::string>()),
                 QStringLiteral("20260101-000000-test"));
        QCOMPARE(json["methods"]["bilevel"]["trace"].size(), std::size_t{3});
        QCOMPARE(json["methods"]["grid"]["samples"].size(), std::size_t{4});
    }

    void reportHasEverySection() {
        std::vector<bt::ui::RunChart*> charts(m_charts->charts().begin(), m_charts->charts().end());
        const bt::ui::ReportWriter writer(m_charts->data(), charts, m_charts->comparison(),
                                          QStringLiteral("LibTorch: 1.13.1\nCPU cores: 2"));
        const QString htmlPath = m_dir.filePath(QStringLiteral("report.html"));
        QString error;
        auto* metricChoice =
            m_charts->comparison()->findChild<QComboBox*>(QStringLiteral("comparisonMetric"));
        QVERIFY(metricChoice != nullptr);
        const QSignalSpy metricSwitches(metricChoice, &QComboBox::currentIndexChanged);
        QVERIFY2(writer.write(htmlPath, &error), qPrintable(error));
        const QString html = QString::fromUtf8(readAll(htmlPath));
        for (const auto& title : bt::ui::ReportWriter::sectionTitles()) {
            QVERIFY2(html.contains(QRegularExpression(
                         QStringLiteral("<h2 id='\\w+'[^>]*>%1</h2>").arg(title))),
                     qPrintable(title));
        }
        for (auto* chart : charts) {
            QVERIFY2(html.contains(QStringLiteral("alt='%1'").arg(chart->title())),
                     qPrintable(chart->title()));
        }
        // Five charts, and the anytime curves again above the lowest validation loss on a log
        // scale, drawn without switching the view on screen.
        QCOMPARE(html.count(QStringLiteral("src='data:image/png;base64,")), 6);
        QVERIFY(html.contains(QRegularExpression(QStringLiteral(
            "<h3[^>]*>Anytime curves above the lowest validation loss \\(log scale\\)</h3>"))));
        QVERIFY(m_charts->comparison()->metric() ==
                bt::ui::ComparisonChart::Metric::ValidationLoss);
        QCOMPARE(metricSwitches.count(), 0);
        const auto& figures = writer.figures();
        const auto anytime = std::find_if(figures.begin(), figures.end(), [](const auto& figure) {
            return figure.heading == QStringLiteral("Anytime curves");
        });
        QVERIFY(anytime != figures.end() && anytime + 1 != figures.end());
        QVERIFY(anytime->image.size() == (anytime + 1)->image.size());
        QVERIFY(anytime->image != (anytime + 1)->image);
        // It leads with the recommended λ* and the validation loss it was chosen by.
        const auto recommended = m_charts->data().recommendation();
        QVERIFY(recommended);
        const auto chosenBy = bt::report::trainingOnlyMetrics(*recommended->method);
        QVERIFY2(html.contains(QStringLiteral("<b>λ* of %1</b>")
                                   .arg(QString::fromStdString(recommended->method->method))) &&
                     html.contains(QStringLiteral("lowest validation loss, %1 (")
                                       .arg(chosenBy->valLoss, 0, 'f', 4)),
                 qPrintable(html));
        QVERIFY(html.contains(QStringLiteral("&quot;outer_iterations&quot;: 3")));
        QVERIFY(html.contains(QStringLiteral("class='best'")));
        // The run's environment, labelled as `env` labels it; where the report was written
        // only where that differs (the CPU cores; LibTorch is the same version).
        QVERIFY2(html.contains(QStringLiteral("<th align='left'>LibTorch</th><td>1.13.1</td>")),
                 qPrintable(html));
        QVERIFY(!html.contains(QStringLiteral("torch_version")));
        QVERIFY(html.contains(QStringLiteral("/lib/libopenblas.so")));
        QVERIFY(html.contains(QStringLiteral("<th align='left'>Device</th><td>cpu</td>")));
        // Which rows, as result.json's fingerprints name them.
        QVERIFY2(html.contains(QStringLiteral(
                     "<th align='left'>Rows</th><td>train 600 rows (CRC-32 0000abcd), validation "
                     "400 rows (CRC-32 12345678), test 9000 rows (CRC-32 ffff0000)</td>")),
                 qPrintable(html));
        QVERIFY(html.contains(QStringLiteral("Where this report was written, where it differs")));
        QVERIFY(html.contains(QStringLiteral("<th align='left'>CPU cores</th><td>2</td>")));
        QCOMPARE(html.count(QStringLiteral("<th align='left'>LibTorch</th>")), 1);
        QVERIFY(html.contains(QStringLiteral("20260101-000000-test")));

        const QString pdfPath = m_dir.filePath(QStringLiteral("report.pdf"));
        QVERIFY2(writer.write(pdfPath, &error), qPrintable(error));
        const QByteArray pdf = readAll(pdfPath);
        QVERIFY(pdf.startsWith("%PDF-"));
        // Six charts of a page's width, the configuration and the tables: several A4 pages.
        const int pages = pdfPageCount(pdf);
        QVERIFY2(pages >= 3 && pages <= 12, qPrintable(QString::number(pages)));
        QCOMPARE(pdf.count("/Subtype /Image"), 6);
    }

    // The PDF as a reader meets it (its text, by poppler's pdftotext): the results come first,
    // before any configuration; table headers and figures are whole, never broken inside a
    // word; the headings follow in the report's order.
    void reportPdfReadsResultsFirstWithWholeWords() {
        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        if (pdftotext.isEmpty()) {
            QSKIP("pdftotext is not installed (scripts/setup.sh installs poppler-utils)");
        }
        std::vector<bt::ui::RunChart*> charts(m_charts->charts().begin(), m_charts->charts().end());
        const bt::ui::ReportWriter writer(m_charts->data(), charts, m_charts->comparison(), {});
        const QString pdfPath = m_dir.filePath(QStringLiteral("read.pdf"));
        QString error;
        QVERIFY2(writer.write(pdfPath, &error), qPrintable(error));
        QProcess process;
        process.start(pdftotext, {QStringLiteral("-layout"), pdfPath, QStringLiteral("-")});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 0);
        // NFKC: the PDF's "ﬁ" ligatures read as "fi".
        const QString text = QString::fromUtf8(process.readAllStandardOutput())
                                 .normalized(QString::NormalizationForm_KC);

        // Headings in order; the recommendation on the first page.
        qsizetype at = 0;
        for (const auto& title : bt::ui::ReportWriter::sectionTitles()) {
            const auto found = text.indexOf(title, at);
            QVERIFY2(found >= 0, qPrintable(title + QStringLiteral(" after ") +
                                            QString::number(at) + QStringLiteral(":\n") + text));
            at = found + title.size();
        }
        const auto firstPage = text.left(text.indexOf(QLatin1Char('\f')));
        QVERIFY2(firstPage.contains(QStringLiteral("λ* of")), qPrintable(firstPage));
        QVERIFY2(firstPage.contains(QStringLiteral("Test loss")), qPrintable(firstPage));
        // No configuration text before the results.
        const auto configuration = text.indexOf(QStringLiteral("\"outer_iterations\""));
        QVERIFY(configuration > text.indexOf(QStringLiteral("Test loss")));

        // The tables' headers and figures, each whole on its line.
        const auto tables = firstPage.mid(firstPage.indexOf(QStringLiteral("each method chose")));
        for (const char* word : {"Method", "retrained", "refit", "Trainings", "Epochs", "Seconds",
                                 "Status", "own model", "0.5500", "λ1 = 0.00"}) {
            QVERIFY2(tables.contains(QString::fromUtf8(word)),
                     qPrintable(QStringLiteral("'%1' is not whole in:\n%2").arg(word, tables)));
        }
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QTabWidget> m_tabs;
    std::unique_ptr<bt::ui::LiveCharts> m_charts;
    bt::report::RunResult m_result;
};

QTEST_MAIN(TestExport)
#include "test_export.moc"
