#include "ui/history/run_comparison_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

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
    auto* header =
        new QLabel(describe("A", first) + QStringLiteral("<br>") + describe("B", second) +
                       tr("<br>Run A's curves are solid, run B's dashed."),
                   this);
    header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(header);
    m_chart = new ComparisonChart(this);
    layout->addWidget(m_chart, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    m_chart->refresh(m_data);
}

} // namespace bt::ui
