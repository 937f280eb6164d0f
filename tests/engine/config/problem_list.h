#pragma once

#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include "engine/config/config_error.h"
#include "engine/config/run_config_json.h"

// Helpers shared by the config tests: run parseRunConfig and return what it complained about.

/// The problems parseRunConfig reports for `json`, each as "key: message"; empty when it parses.
inline QStringList problemsOf(const nlohmann::json& json) {
    try {
        bt::config::parseRunConfig(json, "test.json");
    } catch (const bt::config::ConfigError& e) {
        QStringList out;
        for (const auto& problem : e.problems()) {
            out << QString::fromStdString(problem.toString());
        }
        return out;
    }
    return {};
}

/// A valid minimal configuration with `patch` merged over it (RFC 7396 merge patch).
inline nlohmann::json patched(const nlohmann::json& patch) {
    nlohmann::json base = {{"dataset", {{"kind", "fashion-mnist"}}}};
    base.merge_patch(patch);
    return base;
}

/// The single problem parseRunConfig reports for `config`; fails the test when there is not
/// exactly one.
inline QString onlyProblem(const nlohmann::json& config) {
    const QStringList problems = problemsOf(config);
    if (problems.size() != 1) {
        return QStringLiteral("expected exactly one problem, got: ") + problems.join(" || ");
    }
    return problems.front();
}
