#include "qr_code.hpp"

#include <fmt/format.h>
#include <qrencode.h>

#include <memory>
#include <string>

namespace kohtaamo {

Result<QrMatrix> encodeQr(std::string_view text)
{
    const std::string data(text);
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(static_cast<int>(data.size()), reinterpret_cast<const unsigned char*>(data.data()), 0,
                          QR_ECLEVEL_M),
        &QRcode_free);
    if (!code) {
        return fail(ErrorCode::InvalidInput, fmt::format("cannot make a QR code of {} bytes", data.size()));
    }
    QrMatrix matrix;
    matrix.size = code->width;
    matrix.dark.resize(static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width));
    for (std::size_t i = 0; i < matrix.dark.size(); ++i) matrix.dark[i] = code->data[i] & 1;
    return matrix;
}

} // namespace kohtaamo
