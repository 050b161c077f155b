#pragma once

#include "content/error.hpp"

#include <filesystem>
#include <vector>

namespace kohtaamo {

/// Writes 8-bit RGBA pixels (row-major, no padding) as a PNG file.
[[nodiscard]] Result<void> writePng(const std::filesystem::path& file, int width, int height,
                                    const std::vector<unsigned char>& rgba);

} // namespace kohtaamo
