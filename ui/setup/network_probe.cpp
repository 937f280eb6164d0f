#include "ui/setup/network_probe.h"

#include <system_error>
#include <utility>

#include "engine/config/data_files.h"
#include "engine/config/run_config_json.h"
#include "engine/core/error.h"
#include "engine/run/runner.h"
#include "ui/setup/config_field_text.h"
#include "ui/setup/config_fields.h"

namespace bt::ui {

namespace fs = std::filesystem;

namespace {

// What a check's outcome depends on: the dataset and model sections, the data folder, and when
// the files they name last changed (a network saved again under the same name is checked again).
std::string dependencyKey(const config::RunConfig& config, const fs::path& dataDir) {
    const auto j = config::toJson(config);
    std::string key =
        j.at("dataset").dump() + '\n' + j.at("model").dump() + '\n' + dataDir.string();
    for (const auto* path : {&config.model.path, &config.dataset.path, &config.dataset.trainPath,
                             &config.dataset.validationPath, &config.dataset.testPath}) {
        if (path->empty()) {
            continue;
        }
        std::error_code error;
        const auto time = fs::last_write_time(config::resolveDataPath(*path, dataDir), error);
        key += '\n' + std::to_string(error ? 0 : time.time_since_epoch().count());
    }
    return key;
}

bool isFieldKey(const std::string& key) {
    for (const auto& spec : configFields()) {
        if (spec.key == key) {
            return true;
        }
    }
    return false;
}

} // namespace

NetworkProbe::Outcome probeNetworkOnData(const config::RunConfig& config, const fs::path& dataDir) {
    const std::string fallback =
        config.model.kind == config::ModelKind::Torchscript ? "model.path" : "model.kind";
    try {
        run::checkNetworkTakesData(config, dataDir);
        return std::nullopt;
    } catch (const core::InputError& e) {
        // Under its field the key goes without saying; a file's name stays in the message.
        const auto key = fieldKeyOf(e.where());
        std::string message = e.what();
        if (isFieldKey(key) && message.starts_with(e.where() + ": ")) {
            message.erase(0, e.where().size() + 2);
        }
        return DataProblem{isFieldKey(key) ? key : fallback, message, ""};
    } catch (const std::exception& e) {
        return DataProblem{fallback, e.what(), ""};
    }
}

NetworkProbe::NetworkProbe(QObject* parent)
    : QObject(parent), m_jobs([this](const std::string& key, const Outcome& outcome) {
          constexpr std::size_t kKept = 32; // a session's worth of edits; then start afresh
          if (m_known.size() >= kKept) {
              m_known.clear();
          }
          m_known[key] = outcome;
          if (key == m_latest) {
              Q_EMIT checked();
          }
      }) {}

std::optional<NetworkProbe::Outcome> NetworkProbe::outcome(const config::RunConfig& config,
                                                           const fs::path& dataDir) {
    auto key = dependencyKey(config, dataDir);
    if (const auto known = m_known.find(key); known != m_known.end()) {
        return known->second;
    }
    m_latest = key;
    if (m_jobs.running() == key) {
        m_jobs.dropWaiting(); // back to what is being checked: nothing else is wanted
    } else {
        m_jobs.ask(std::move(key),
                   [config, dataDir] { return probeNetworkOnData(config, dataDir); });
    }
    return std::nullopt;
}

} // namespace bt::ui
