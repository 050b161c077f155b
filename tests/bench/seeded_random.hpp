#pragma once
// The benchmark's random numbers: SplitMix64, tiny and fast, and the same sequence on every machine
// (no std:: distributions, whose output is implementation-defined), so a seed names its data.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kohtaamo::bench {

class SeededRandom {
public:
    explicit SeededRandom(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /// 0 ≤ result < n.
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
    /// low ≤ result ≤ high.
    int between(int low, int high) { return low + below(high - low + 1); }
    bool chance(int percent) { return below(100) < percent; }
    template <class T>
    const T& pick(const std::vector<T>& items)
    {
        return items[static_cast<std::size_t>(below(static_cast<int>(items.size())))];
    }

private:
    std::uint64_t m_state;
};

}   // namespace kohtaamo::bench
