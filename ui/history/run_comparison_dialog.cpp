#include "ui/history/run_comparison_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

#include "engine/config/run_config_json.h"
#include "ui/charts/comparison_chart.h"

namespace bt::ui {

namespace {

// A stored run's methods as the charts would show them.
RunData replay(const StoredRun& run) {
    RunData data;
    data.reset(run.config, run.runId);
    for (const auto& event : run.events) {
        data.add(event);
    }
    if (run.result) {
        data.setResult(*run.result);
    }
    return data;
}

QString describe(const char* letter, const StoredRun& run) {
    return QStringLiteral("<b>%1</b>: %2 — %3 (%4)")
        .arg(QLatin1String(letter), QString::fromStdString(run.runId).toHtmlEscaped(),
             QString::fromStdString(run.name).toHtmlEscaped(),
             statusText(run.status).toHtmlEscaped());
}

// The settings listed in the header, at most; the tooltip lists them all.
constexpr int kListedDifferences = 8;

QString differenceText(const config::KeyDifference& d) {
    return QStringLiteral("<b>%1</b> %2 → %3")
        .arg(QString::fromStdString(d.key).toHtmlEscaped(),
             QString::fromStdString(d.first).toHtmlEscaped(),
             QString::fromStdString(d.second).toHtmlEscaped());
}

} // namespace

RunComparisonDialog::RunComparisonDialog(const StoredRun& first, const StoredRun& second,
                                         QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Compare runs"));
    setObjectName(QStringLiteral("runComparisonDialog"));
    resize(1100, 760);
    config::RunConfig config = first.config;
    config.methods.clear();
    m_data.reset(config, first.runId + " vs " + second.runId);
    for (const auto& [letter, run] : {std::pair{"A", &first}, std::pair{"B", &second}}) {
        const auto data = replay(*run);
        for (auto trace : data.methods()) {
            trace.method += std::string(kRunLetterSeparator) + letter;
            if (trace.result) {
                trace.result->method = trace.method;
            }
            m_data.addTrace(std::move(trace));
        }
    }
    auto* layout = new QVBoxLayout(this);
    const auto comparison =
        config::compareConfigs(first.config, second.config, first.data, second.data);
    const auto& differences = comparison.differences;
    const auto& dataDifferences = comparison.dataDifferences;
    QStringList all;
    for (const auto& d : differences) {
        all << differenceText(d);
    }
    const QStringList listed = all.mid(0, kListedDifferences);
    QStringList dataKeys;
    for (const auto& why : dataDifferences) {
        dataKeys << QString::fromStdString(why).toHtmlEscaped();
    }
    QString text = describe("A", first) + QStringLiteral("<br>") + describe("B", second);
    if (differences.empty()) {
        text += tr("<br>The same settings.");
    } else {
        text += tr("<br>Settings that differ, A → B: %1").arg(listed.join(QStringLiteral("; ")));
        if (all.size() > kListedDifferences) {
            text += tr("; and %n more (hover to see them all)", nullptr,
                       static_cast<int>(all.size() - kListedDifferences));
        }
    }
    if (!dataKeys.isEmpty()) {
        text += tr("<br><b>Their data differ</b> (%1): %2, so the table marks no best and "
                   "recommends no model across them.")
                    .arg(dataKeys.join(QStringLiteral(", ")),
                         QString::fromUtf8(comparison.dataDifferenceClause()));
    }
    text += tr("<br>Run A's curves are solid, run B's dashed.");
    m_header = new QLabel(text, this);
    m_header->setObjectName(QStringLiteral("runComparisonHeader"));
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    if (!differences.empty()) {
        m_header->setToolTip(
            tr("Settings that differ, A → B:<br>%1").arg(all.join(QStringLiteral("<br>"))));
    }
    layout->addWidget(m_header);
    m_chart = new ComparisonChart(this);
    m_chart->setRanksRows(dataKeys.isEmpty());
    layout->addWidget(m_chart, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    m_chart->refresh(m_data);
}

QString RunComparisonDialog::headerText() const {
    return m_header->text();
}

} // namespace bt::ui
