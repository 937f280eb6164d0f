// The summary under the form: the configuration's problems, its data's and its network's, with
// what fetches or makes missing data (a link the summary follows itself).
#include <algorithm>

#include <QPalette>

#include "engine/core/error.h"
#include "engine/data/ridge_data.h"
#include "ui/setup/config_field_row.h"
#include "ui/setup/config_field_text.h"
#include "ui/setup/setup_panel.h"

namespace bt::ui {

namespace {

constexpr const char* kMakeRidgeLink = "make-ridge";

} // namespace

QString SetupPanel::summaryHtml() const {
    if (m_problems.empty() && m_dataProblems.empty()) {
        // A green that reads on the palette's background, light or dark.
        const bool dark = palette().color(QPalette::Window).lightness() < 128;
        QString html = tr("<span style='color:%1'>✔ The configuration is valid and its data is "
                          "in place.</span>")
                           .arg(dark ? QStringLiteral("#7bd88f") : QStringLiteral("#2e6b30"));
        if (!m_networkText.isEmpty()) {
            // One line, so that a network of many weights does not push the form away; the
            // whole list is the summary's tooltip.
            QString line = m_networkText;
            line.replace(QStringLiteral(":\n• "), QStringLiteral(": "))
                .replace(QStringLiteral("\n• "), QStringLiteral("; "));
            constexpr int kShown = 160;
            if (line.size() > kShown) {
                line = line.left(kShown - 1) + QStringLiteral("…");
            }
            html += tr("<br><b>Network:</b> %1").arg(line.toHtmlEscaped());
        }
        if (!m_budgetNote.isEmpty()) {
            // A caution, not a problem: the run may start, but its comparison is uneven.
            html += QStringLiteral("<br><span style='color:%1'>⚠ %2</span>")
                        .arg(dark ? QStringLiteral("#f0ad4e") : QStringLiteral("#8a5a00"),
                             m_budgetNote.toHtmlEscaped());
        }
        if (m_checkingNetwork) {
            html += tr("<br>Checking that the network takes a batch of the data…");
        }
        return html;
    }
    QString html;
    // English plurals without a translation file: "%n problem(s)" would show "(s)".
    const auto count = static_cast<int>(m_problems.size() + m_dataProblems.size());
    html += (count == 1 ? tr("<b style='color:#d9534f'>1 problem</b>")
                        : tr("<b style='color:#d9534f'>%1 problems</b>").arg(count)) +
            tr(" (the fields are marked in red)%1").arg(m_problems.empty() ? "" : ":");
    if (!m_problems.empty()) {
        html += QStringLiteral("<ul style='margin:0'>");
        for (const auto& p : m_problems) {
            html += QStringLiteral("<li>%1</li>").arg(problemText(p).toHtmlEscaped());
        }
        html += QStringLiteral("</ul>");
    }
    // Each problem, then each command once: the ridge task's three files share one.
    std::vector<std::string> commands;
    bool ridge = false;
    for (std::size_t i = 0; i < m_dataProblems.size(); ++i) {
        const auto& d = m_dataProblems[i];
        // A data file is missing data; a network's or its groups' problem is the field's.
        const auto* f = field(fieldKeyOf(d.key));
        const QString title = d.key.starts_with("dataset") ? tr("Missing data")
                              : f != nullptr               ? qs(f->spec().label)
                                                           : tr("Network");
        // Right after the list of the other problems no break is needed.
        html += QStringLiteral("%1<b style='color:#d9534f'>%2:</b> %3")
                    .arg(i == 0 && !m_problems.empty() ? QString() : QStringLiteral("<br>"),
                         title.toHtmlEscaped(), qs(d.message).toHtmlEscaped());
        if (!d.command.empty() &&
            std::find(commands.begin(), commands.end(), d.command) == commands.end()) {
            commands.push_back(d.command);
        }
        ridge = ridge || d.ridge;
    }
    for (const auto& command : commands) {
        const auto needing =
            std::count_if(m_dataProblems.begin(), m_dataProblems.end(),
                          [&](const DataProblem& d) { return d.command == command; });
        const bool made =
            std::any_of(m_dataProblems.begin(), m_dataProblems.end(),
                        [&](const DataProblem& d) { return d.command == command && d.ridge; });
        html += (made           ? tr("<br>Make them with:")
                 : needing == 1 ? tr("<br>Fetch it with:")
                                : tr("<br>Fetch them with:")) +
                QStringLiteral("<pre style='margin:2px'>%1</pre>").arg(qs(command).toHtmlEscaped());
    }
    if (ridge) {
        html += tr("or <a href='%1'>make them now</a> (synthetic data, seed 0, into %2).")
                    .arg(QString::fromLatin1(kMakeRidgeLink),
                         qs((m_dataDir / data::kRidgeFolder).string()).toHtmlEscaped());
    }
    return html;
}

QString SetupPanel::problemText(const config::ConfigProblem& problem) const {
    // "Training split: ..." as the form labels it; the JSON key for a problem of no field.
    const auto key = fieldKeyOf(problem.key);
    const auto* f = field(key);
    if (f == nullptr) {
        return qs(problem.toString());
    }
    const auto element = problem.key.substr(key.size());
    return qs(f->spec().label) + qs(element) + QStringLiteral(": ") + qs(problem.message);
}

void SetupPanel::followSummaryLink(const QString& link) {
    if (link != QLatin1String(kMakeRidgeLink)) {
        return;
    }
    const auto folder = m_dataDir / data::kRidgeFolder;
    try {
        // Never over a file of the user's: a folder holding some of the three is refused.
        data::writeRidgeCsv(data::makeRidgeData(0), folder, false);
    } catch (const core::InputError& e) {
        Q_EMIT messageRaised(tr("The ridge data could not be made"), qs(e.what()));
        return;
    }
    Q_EMIT noted(
        tr("Wrote the ridge task's synthetic data (seed 0) to %1").arg(qs(folder.string())));
    validateNow();
}

} // namespace bt::ui
