#include "engine/data/image_pool.h"

#include <array>
#include <cmath>

namespace bt::data {

std::int64_t ImagePool::sampleSize() const {
    std::int64_t n = 1;
    for (const auto d : sampleShape) {
        n *= d;
    }
    return n;
}

Normalization ImagePool::channelStatistics(const std::vector<std::int64_t>& rows) const {
    const std::int64_t channels = sampleShape.at(0);
    const std::int64_t plane = sampleSize() / channels;
    // Counting pixel values makes the statistics exact and the pass a cheap increment per byte.
    std::vector<std::array<std::int64_t, 256>> histogram(static_cast<std::size_t>(channels));
    for (auto& h : histogram) {
        h.fill(0);
    }
    for (const auto row : rows) {
        const std::uint8_t* image = pixels.data() + row * sampleSize();
        for (std::int64_t c = 0; c < channels; ++c) {
            auto& h = histogram[static_cast<std::size_t>(c)];
            const std::uint8_t* p = image + c * plane;
            for (std::int64_t i = 0; i < plane; ++i) {
                ++h[p[i]];
            }
        }
    }
    Normalization result;
    const double n = static_cast<double>(rows.size()) * static_cast<double>(plane);
    for (const auto& h : histogram) {
        double sum = 0.0;
        for (int v = 0; v < 256; ++v) {
            sum += static_cast<double>(h[static_cast<std::size_t>(v)]) * (v / 255.0);
        }
        const double mean = sum / n;
        double squares = 0.0;
        for (int v = 0; v < 256; ++v) {
            const double d = v / 255.0 - mean;
            squares += static_cast<double>(h[static_cast<std::size_t>(v)]) * d * d;
        }
        const double stddev = std::sqrt(squares / n);
        result.mean.push_back(static_cast<float>(mean));
        result.stddev.push_back(stddev > 0.0 ? static_cast<float>(stddev) : 1.0F);
    }
    return result;
}

Dataset ImagePool::select(const std::vector<std::int64_t>& rows,
                          const Normalization& normalization) const {
    const std::int64_t channels = sampleShape.at(0);
    const std::int64_t plane = sampleSize() / channels;
    // One lookup table per channel: a pixel has only 256 values, so normalising is a table read.
    std::vector<std::array<float, 256>> table(static_cast<std::size_t>(channels));
    for (std::int64_t c = 0; c < channels; ++c) {
        const auto ci = static_cast<std::size_t>(c);
        const double mean = normalization.mean.empty() ? 0.0 : normalization.mean.at(ci);
        const double stddev = normalization.stddev.empty() ? 1.0 : normalization.stddev.at(ci);
        for (int v = 0; v < 256; ++v) {
            table[ci][static_cast<std::size_t>(v)] =
                static_cast<float>((v / 255.0 - mean) / stddev);
        }
    }

    Dataset out;
    out.sampleShape = sampleShape;
    out.task = Task::Classification;
    out.numClasses = numClasses;
    out.classNames = classNames;
    out.labels.reserve(rows.size());
    out.features->resize(rows.size() * static_cast<std::size_t>(sampleSize()));
    float* dst = out.features->data();
    for (const auto row : rows) {
        const std::uint8_t* image = pixels.data() + row * sampleSize();
        for (std::int64_t c = 0; c < channels; ++c) {
            const auto& t = table[static_cast<std::size_t>(c)];
            const std::uint8_t* p = image + c * plane;
            for (std::int64_t i = 0; i < plane; ++i) {
                *dst++ = t[p[i]];
            }
        }
        out.labels.push_back(labels[static_cast<std::size_t>(row)]);
    }
    return out;
}

} // namespace bt::data
