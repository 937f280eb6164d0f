#pragma once

#include <iosfwd>
#include <mutex>

#include "engine/events/events.h"
#include "engine/report/result_json.h"

namespace bt::app {

/// The CLI's event sink: one progress line per φ sample, trial and outer iteration (λ, |h|, μ,
/// r, F), warnings from the engine, and a summary table at the end. Quiet mode prints nothing
/// but errors; JSON mode prints one JSON object per event and line, for scripts.
class CliPrinter final : public events::EventSink {
public:
    enum class Mode { Lines, Quiet, JsonEvents };

    CliPrinter(std::ostream& out, Mode mode) : m_out(out), m_mode(mode) {}

    void onEvent(const events::Event& event) override;

    /// The final table: per method λ*, validation and test loss/accuracy, trainings, epochs,
    /// seconds, and ratios of cost to the bilevel method's when it ran.
    void printSummary(const report::RunResult& result) const;

private:
    std::ostream& m_out;
    Mode m_mode;
    std::mutex m_mutex;
};

/// "[-3.21, -5.02]" with 3 decimals.
std::string formatLambda(const std::vector<double>& lambda);

} // namespace bt::app
