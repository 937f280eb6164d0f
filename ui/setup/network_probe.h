#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <QObject>

#include "engine/config/run_config.h"
#include "ui/session/serial_jobs.h"
#include "ui/setup/data_check.h"

namespace bt::ui {

/// Whether the network takes the chosen data (run::checkNetworkTakesData: the data read, a batch
/// of two samples through the network, its output shape against the classes or targets), checked
/// off the GUI thread, since reading a dataset and loading a network can take a second. One check
/// runs at a time; a request made meanwhile waits, replacing any that waited before it. Outcomes
/// are kept by what they depend on (the dataset and model sections, the data folder, the files'
/// modification times), so an edit elsewhere in the form does not check again.
class NetworkProbe : public QObject {
    Q_OBJECT

public:
    /// The check's outcome: no problem, or the problem under the key of its field.
    using Outcome = std::optional<DataProblem>;

    explicit NetworkProbe(QObject* parent = nullptr);

    /// The outcome for `config` with its data under `dataDir`, or nothing while it is being
    /// checked (a check is started when none is known or under way).
    /// @pre config::validate(config) and checkData(config, dataDir) are empty
    std::optional<Outcome> outcome(const config::RunConfig& config,
                                   const std::filesystem::path& dataDir);
    /// Waits for the checks under way and keeps their outcomes (tests).
    void settle() { m_jobs.settle(); }

Q_SIGNALS:
    /// A check finished whose configuration is the latest asked about (on the GUI thread).
    void checked();

private:
    SerialJobs<std::string, Outcome> m_jobs; // tagged by what an outcome depends on
    std::map<std::string, Outcome> m_known;  // the outcomes, by the same
    std::string m_latest;                    // what was asked about last
};

/// The network's check for `config` in this thread: run::checkNetworkTakesData, its error as a
/// problem under the field it concerns (model.path, model.kind or the dataset's).
NetworkProbe::Outcome probeNetworkOnData(const config::RunConfig& config,
                                         const std::filesystem::path& dataDir);

} // namespace bt::ui
