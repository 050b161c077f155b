#pragma once
// FNV-1a, 64 bits: a fast, stable hash for fingerprints and shortened ids (not for security).
// Private to the sync module.

#include <cstdint>
#include <string_view>

namespace kohtaamo {

[[nodiscard]] inline std::uint64_t fnv1a(std::string_view text)
{
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash;
}

} // namespace kohtaamo
