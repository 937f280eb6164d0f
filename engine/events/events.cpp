#include "engine/events/events.h"

namespace bt::events {

Cost& Cost::operator+=(const Cost& other) {
    lowerLevelTrainings += other.lowerLevelTrainings;
    epochs += other.epochs;
    wallSeconds += other.wallSeconds;
    gpSeconds += other.gpSeconds;
    return *this;
}

} // namespace bt::events
