#include "engine/data/dataset.h"

namespace bt::data {

const char* taskName(Task task) {
    return config::toString(task).data(); // a literal of config_enums.h: NUL-terminated
}

std::int64_t Dataset::size() const {
    return static_cast<std::int64_t>(task == Task::Regression ? targets.size() : labels.size());
}

std::int64_t Dataset::featureCount() const {
    if (sampleShape.empty()) {
        return 0;
    }
    std::int64_t n = 1;
    for (const auto d : sampleShape) {
        n *= d;
    }
    return n;
}

} // namespace bt::data
