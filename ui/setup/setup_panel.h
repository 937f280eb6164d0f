#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <QWidget>

#include <nlohmann/json.hpp>

#include "engine/config/config_problem.h"
#include "engine/config/run_config.h"
#include "ui/setup/data_check.h"
#include "ui/setup/network_probe.h"

class QComboBox;
class QLabel;
class QLayout;

namespace bt::ui {

class ConfigFieldRow;
class PresetTimes;

/// The run form: every field of the run configuration, grouped (methods, data, model,
/// hyperparameters, training, bilevel method, baselines, compute), with units, tooltips that
/// give each field's meaning, range and default, presets for the reference tasks, and load /
/// save of the command line's JSON. Each field is a ConfigFieldRow; the panel validates,
/// shows problems and loads and saves.
///
/// Validation runs as the user types, by the engine's own rules: the form's text becomes the
/// JSON the CLI reads, config::readRunConfig and config::validate list every problem with its
/// key, and each problem is shown under its field. When the configuration is valid the data
/// files are checked too; a missing dataset is shown with the command that fetches it. The form
/// is valid (and Start enabled) only when none of these has anything to say.
class SetupPanel : public QWidget {
    Q_OBJECT

public:
    explicit SetupPanel(QWidget* parent = nullptr);

    /// Shows `config` in the form.
    void setConfig(const config::RunConfig& config);
    /// Shows a configuration's JSON (the full form that config::toJson writes; keys left out
    /// keep the form's defaults).
    void setConfigJson(const nlohmann::json& json);
    /// Shows `config` as read from a source called `name` (a file, a stored run), which then
    /// names the runs started from the form; the preset list goes back to its placeholder, since
    /// the form no longer holds a preset.
    void showConfig(const config::RunConfig& config, const QString& name);
    /// Back to the defaults of config::RunConfig (Fashion-MNIST as the dataset).
    void resetToDefaults();

    /// The form as the CLI's JSON: every field whose text reads, csv-only fields only for a csv
    /// dataset. Fields whose text does not read are left out (their default stands) and listed
    /// in `unreadable` when given.
    nlohmann::json formJson(std::vector<config::ConfigProblem>* unreadable = nullptr) const;
    /// The configuration, when the form is valid.
    std::optional<config::RunConfig> config() const;
    bool isValid() const { return m_valid; }
    /// Every problem now shown: the fields' own, the engine's validation and missing data.
    const std::vector<config::ConfigProblem>& problems() const { return m_problems; }
    const std::vector<DataProblem>& dataProblems() const { return m_dataProblems; }
    /// The TorchScript network's parameters as the form shows them (checkNetwork); empty for
    /// the built-in networks.
    const QString& networkText() const { return m_networkText; }
    /// The network is being run on a batch of the chosen data (NetworkProbe); its problem, if
    /// any, is shown when the check ends.
    bool checkingNetwork() const { return m_checkingNetwork; }
    /// Waits for the network's check and shows its outcome (tests).
    void settleNetworkCheck();
    /// The message shown under a field ("" when it is fine), by JSON key.
    QString fieldError(const QString& key) const;
    /// The editor of a field, by JSON key (for tests and focus).
    QWidget* fieldEditor(const QString& key) const;
    /// The text a field shows (line edits and combo boxes; "true"/"false" for check boxes;
    /// the checked methods joined by ", " for the method list).
    QString fieldText(const QString& key) const;
    /// Sets a field's text as if typed (line edits, combo boxes, "true"/"false" for check boxes,
    /// "bilevel, grid" for the method list). Returns false for an unknown key.
    bool setFieldText(const QString& key, const QString& text);

    /// Reads a configuration file into the form. A file that reads but has problems is shown
    /// with them; one that cannot be read (missing, not JSON) leaves the form as it was.
    /// @return false with `error` set when nothing could be shown; true otherwise, with `error`
    ///         set to the problems of a half-valid file (empty when it is valid)
    bool loadFile(const QString& path, QString* error);
    /// Writes the form's configuration as the CLI's JSON (full, defaults included), atomically.
    bool saveFile(const QString& path, QString* error) const;

    /// The preset names ("ridge", "fmnist-mlp-3l2", ...) from resources/configs.
    static QStringList presetNames();
    /// A preset's configuration; nothing when it cannot be read or has problems.
    static std::optional<config::RunConfig> presetConfig(const QString& name);
    /// "about 12 min here: mlp on fashion-mnist, 3 λ, 5 methods, about 2100 training epochs":
    /// once measured on this machine (PresetTimes), how long a preset takes, then what it is
    /// and how much it trains (methods::planRun); empty when it cannot be read.
    static QString presetSummary(const QString& name);
    /// The preset list's entry: the name and its summary.
    static QString presetLabel(const QString& name);
    /// Measures, in the background, how long the presets of `names` (all when empty) take
    /// here; the list shows each time as it comes (PresetTimes).
    void measurePresetTimes(const QStringList& names = {});
    /// No more measuring after the one under way (a run starts).
    void pausePresetTimes();
    /// Waits for the measurements asked for (tests).
    void settlePresetTimes();
    bool loadPreset(const QString& name);

    /// The preset or file the form was last loaded from ("ridge", "my-run"), for naming runs;
    /// empty after Defaults.
    const QString& configName() const { return m_configName; }

    /// Where relative dataset paths are resolved (the per-user data folder by default).
    void setDataDir(const std::filesystem::path& dir);

    /// File dialogs for loadFile / saveFile; the folder is remembered in the settings.
    void openLoadDialog();
    void openSaveDialog();
    /// loadFile with its problems said (messageRaised); configFileUsed where it was shown.
    bool openConfigFile(const QString& path);

Q_SIGNALS:
    /// The form changed validity (Start follows it).
    void validityChanged(bool valid);
    /// Any field changed (after validation).
    void configEdited();
    /// Something the user should read in a dialog (a file that did not load or save).
    void messageRaised(const QString& title, const QString& text);
    /// Something the form did that the window's log and status bar should say (data it made).
    void noted(const QString& text);
    /// A configuration file was opened into the form or the form saved to it (recent files).
    void configFileUsed(const QString& path);

private:
    QLayout* buildToolbar();
    QWidget* buildForm();
    void browse(ConfigFieldRow& row);
    void validateNow();
    void showProblems();
    /// The summary's text (setup_summary.cpp).
    QString summaryHtml() const;
    /// A link of the summary: "make-ridge" writes the ridge task's files into the data folder
    /// (seed 0; a folder holding some of them is refused, said in messageRaised), then checks
    /// the form again.
    void followSummaryLink(const QString& link);
    /// A problem as the summary lists it: the field's label, not its JSON key.
    QString problemText(const config::ConfigProblem& problem) const;
    void updateRelevance();
    bool namesItsFiles() const;
    ConfigFieldRow* field(const std::string& key) const;
    void showPresetTime(const QString& name);
    /// A preset's JSON as shipped; nothing when it cannot be read.
    static std::optional<nlohmann::json> presetJson(const QString& name);
    void updatePresetTip();

    std::vector<ConfigFieldRow*> m_fields; // in configFields() order
    std::map<std::string, std::size_t> m_index;
    std::vector<config::ConfigProblem> m_problems;
    QString m_networkText; ///< checkNetwork's description of a TorchScript network
    /// methods::bilevelOverBudget of a valid configuration: its plan beyond the baselines'.
    QString m_budgetNote;
    NetworkProbe* m_probe = nullptr;
    PresetTimes* m_presetTimes = nullptr;
    bool m_checkingNetwork = false;
    std::vector<DataProblem> m_dataProblems;
    QLabel* m_summary = nullptr;
    QComboBox* m_presets = nullptr;
    std::filesystem::path m_dataDir;
    QString m_configName;
    bool m_valid = false;
    bool m_updating = false; // setting fields programmatically: validate once at the end
};

} // namespace bt::ui
