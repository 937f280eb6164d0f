#include "engine/store/runs_across_seeds.h"

#include <algorithm>
#include <tuple>

#include "engine/config/run_config_json.h"
#include "engine/core/error.h"
#include "engine/report/result_json.h"
#include "engine/store/run_export.h"

namespace bt::store {

std::vector<RunInfo> runsNamed(const RunStore& store,
                               const std::vector<std::string>& idsOrPrefixes) {
    std::vector<RunInfo> runs;
    for (const auto& id : idsOrPrefixes) {
        auto run = store.run(id);
        const bool named =
            std::any_of(runs.begin(), runs.end(), [&](const RunInfo& r) { return r.id == run.id; });
        if (!named) {
            runs.push_back(std::move(run));
        }
    }
    return runs;
}

RunsAcrossSeeds runsAcrossSeeds(const RunStore& store,
                                const std::vector<std::string>& idsOrPrefixes,
                                const std::string& where) {
    RunsAcrossSeeds out;
    out.runs = runsNamed(store, idsOrPrefixes);
    // Oldest first, whatever order they were named in: the seeds then read as they were run.
    std::stable_sort(out.runs.begin(), out.runs.end(), [](const RunInfo& a, const RunInfo& b) {
        return std::tie(a.createdMs, a.id) < std::tie(b.createdMs, b.id);
    });
    if (out.runs.size() < 2) {
        throw core::InputError(where, "an aggregate needs two or more runs of the same settings "
                                      "(their seeds apart); " +
                                          std::to_string(out.runs.size()) + " given");
    }
    std::vector<config::RunConfig> configs;
    std::vector<std::string> ids;
    std::vector<report::RunResult> results;
    for (const auto& run : out.runs) {
        std::vector<config::ConfigProblem> ignored; // a key of another version: compared as read
        configs.push_back(config::readRunConfig(run.config, ignored));
        ids.push_back(run.id);
        const nlohmann::json stored{{"run_id", run.id},
                                    {"status", "completed"},
                                    {"methods", storedResults(store, run.id).methods}};
        results.push_back(
            report::runResultFromJson(stored, run.methods, report::ResultParts::Figures));
    }
    for (auto& seed : config::seedDifferences(configs, ids, where)) {
        out.seeds.emplace_back(std::move(seed.key), std::move(seed.values));
    }
    out.methods = report::acrossRuns(results);
    return out;
}

report::AcrossRunsTable RunsAcrossSeeds::table() const {
    return report::acrossRunsTable(runs.size(), seeds, methods);
}

} // namespace bt::store
