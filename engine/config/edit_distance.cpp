#include "engine/config/edit_distance.h"

#include <algorithm>
#include <string>
#include <vector>

namespace bt::config {

namespace {
std::string lowered(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return out;
}

std::size_t allowedEdits(std::size_t length) {
    if (length <= 3) {
        return 1;
    }
    return length <= 8 ? 2 : 3;
}
} // namespace

std::size_t editDistance(std::string_view a, std::string_view b) {
    // Three rolling rows of the dynamic programme: the swap needs the row before the previous.
    const std::size_t n = b.size();
    std::vector<std::size_t> before(n + 1);
    std::vector<std::size_t> previous(n + 1);
    std::vector<std::size_t> current(n + 1);
    for (std::size_t j = 0; j <= n; ++j) {
        previous[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= n; ++j) {
            const std::size_t substitution = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] =
                std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                current[j] = std::min(current[j], before[j - 2] + 1);
            }
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[n];
}

std::optional<std::string_view> nearestName(std::string_view name,
                                            std::span<const std::string_view> candidates) {
    const std::string key = lowered(name);
    std::optional<std::string_view> best;
    std::size_t bestDistance = allowedEdits(name.size()) + 1;
    for (const std::string_view candidate : candidates) {
        const std::size_t distance = editDistance(key, lowered(candidate));
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    constexpr std::size_t kMinAbbreviation = 3;
    if (best || key.size() < kMinAbbreviation) {
        return best;
    }
    for (const std::string_view candidate : candidates) {
        if (lowered(candidate).starts_with(key)) {
            return candidate;
        }
    }
    return std::nullopt;
}

} // namespace bt::config
