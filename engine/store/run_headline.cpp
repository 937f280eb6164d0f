#include "engine/store/run_headline.h"

#include <exception>
#include <vector>

#include "engine/config/run_config_json.h"
#include "engine/report/result_json.h"

namespace bt::store {

RunHeadline runHeadline(const RunInfo& run) {
    RunHeadline headline;
    if (run.config.is_object()) {
        try {
            std::vector<config::ConfigProblem> problems; // a lenient read: what it can
            headline.task = config::taskText(config::readRunConfig(run.config, problems));
        } catch (const std::exception&) { // NOLINT(bugprone-empty-catch)
            // left empty: a configuration this version does not read
        }
    }
    if (run.result.is_object()) {
        try {
            const auto result =
                report::runResultFromJson(run.result, run.methods, report::ResultParts::Figures);
            if (const auto recommended = report::recommend(result)) {
                headline.recommendedMethod = recommended->method->method;
                headline.recommended = recommended->metrics;
                headline.refit = recommended->refit;
                headline.recommendedText = report::recommendationText(*recommended);
            }
        } catch (const std::exception&) { // NOLINT(bugprone-empty-catch)
            // left empty: a result this version does not read
        }
    }
    return headline;
}

} // namespace bt::store
