#include "png_writer.hpp"

#include <fmt/format.h>
#include <stb_image_write.h>

namespace kohtaamo {

Result<void> writePng(const std::filesystem::path& file, int width, int height, const std::vector<unsigned char>& rgba)
{
    if (rgba.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4) {
        return fail(ErrorCode::InvalidInput, "screenshot buffer does not match its size");
    }
    if (!stbi_write_png(file.string().c_str(), width, height, 4, rgba.data(), width * 4)) {
        return fail(ErrorCode::Io, fmt::format("cannot write {}", file.string()));
    }
    return {};
}

} // namespace kohtaamo
