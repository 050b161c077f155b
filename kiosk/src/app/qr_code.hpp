#pragma once
// QR codes for phones: libqrencode turns text (a URL, tel:, a calendar entry) into modules.

#include "content/error.hpp"

#include <string_view>
#include <vector>

namespace kohtaamo {

struct QrMatrix {
    int size = 0;                      ///< modules per side, without the quiet zone
    std::vector<unsigned char> dark;   ///< size × size, row-major, 1 = dark module
    [[nodiscard]] bool isDark(int x, int y) const { return dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(size) + static_cast<std::size_t>(x)] != 0; }
};

/// Encodes UTF-8 text at error-correction level M (survives a smudged screen). Fails for text too
/// long for a QR code (about 2 kB).
[[nodiscard]] Result<QrMatrix> encodeQr(std::string_view text);

} // namespace kohtaamo
