#include "engine/events/phase_place.h"

#include <algorithm>
#include <cctype>

namespace bt::events {

namespace {

PhasePlace place(const SampleEvent& event, int number) {
    PhasePlace p;
    p.name = event.phase == phase::kInitialDesign    ? std::string("initial design")
             : event.phase == phase::kOuterIteration ? std::string("φ sample")
                                                     : event.phase;
    p.number = number;
    p.total = event.total;
    return p;
}

} // namespace

std::string PhasePlace::text() const {
    const bool endsInNumber =
        !name.empty() && std::isdigit(static_cast<unsigned char>(name.back())) != 0;
    std::string out = name + (endsInNumber ? ", " : " ") + std::to_string(number);
    if (total > 0) {
        out += "/" + std::to_string(total);
    }
    return out;
}

PhasePlace PhaseCounter::next(const SampleEvent& event) {
    return place(event, ++m_counts[event.method + " " + event.phase]);
}

PhasePlace phasePlace(const std::vector<SampleEvent>& methodSamples, const SampleEvent& event) {
    const auto before =
        std::count_if(methodSamples.begin(), methodSamples.end(), [&](const SampleEvent& s) {
            return s.method == event.method && s.phase == event.phase && s.index <= event.index;
        });
    return place(event, std::max(1, static_cast<int>(before)));
}

} // namespace bt::events
