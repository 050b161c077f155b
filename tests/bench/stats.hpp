#pragma once
// Summary statistics of timing samples.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

namespace kohtaamo::bench {

struct Summary {
    std::size_t count = 0;
    double mean = 0;
    double median = 0;
    double p99 = 0;   ///< nearest rank: the smallest sample at or above 99 % of the samples
    double max = 0;
};

[[nodiscard]] inline Summary summarize(std::vector<double> samples)
{
    Summary summary;
    if (samples.empty()) return summary;
    std::sort(samples.begin(), samples.end());
    const auto rank = [&](double fraction) {
        const auto index = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(samples.size())));
        return samples[std::clamp<std::size_t>(index, 1, samples.size()) - 1];
    };
    summary.count = samples.size();
    summary.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
    const std::size_t middle = samples.size() / 2;
    summary.median = samples.size() % 2 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2;
    summary.p99 = rank(0.99);
    summary.max = samples.back();
    return summary;
}

}   // namespace kohtaamo::bench
